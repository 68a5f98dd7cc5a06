package io.imaginggateway.fhirstore;

import java.util.HashSet;
import java.util.Set;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.ContextAnnotationAutowireCandidateResolver;
import org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport;

/**
 * Creates HAPI's Spring Data repositories on first use instead of at start.
 *
 * <p>HAPI declares 56 repositories (bulk export, MDM, batch jobs, terminology, ...) with a fixed DEFAULT bootstrap
 * mode; building them all, each parsing its queries, took about 7 s of start-up. The gateway uses a minority of them.
 * This does what Spring Data's own LAZY bootstrap mode does: the repository beans become lazy, and every injection
 * point of a repository type receives a proxy that creates the repository on its first call.
 */
final class LazyRepositories implements BeanFactoryPostProcessor {

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Set<String> repositoryTypes = new HashSet<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            Class<?> repositoryInterface = isRepositoryFactory(definition) ? repositoryInterface(definition) : null;
            if (repositoryInterface != null) {
                definition.setLazyInit(true);
                // the factory bean itself also builds its repository eagerly unless told otherwise
                definition.getPropertyValues().add("lazyInit", true);
                // lets type matching answer without instantiating the factory bean
                definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, repositoryInterface);
                repositoryTypes.add(repositoryInterface.getName());
            }
        }
        if (beanFactory instanceof DefaultListableBeanFactory listable) {
            listable.setAutowireCandidateResolver(new LazyRepositoryInjection(repositoryTypes));
        }
    }

    /** Spring Data passes the repository interface (by name) as the factory bean's only constructor argument. */
    private static Class<?> repositoryInterface(BeanDefinition definition) {
        ConstructorArgumentValues.ValueHolder argument =
                definition.getConstructorArgumentValues().getIndexedArgumentValue(0, null);
        return argument != null && argument.getValue() instanceof String name ? load(name) : null;
    }

    private static boolean isRepositoryFactory(BeanDefinition definition) {
        Class<?> type = definition.getBeanClassName() == null ? null : load(definition.getBeanClassName());
        return type != null && RepositoryFactoryBeanSupport.class.isAssignableFrom(type);
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, LazyRepositories.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static final class LazyRepositoryInjection extends ContextAnnotationAutowireCandidateResolver {
        private final Set<String> repositoryTypes;

        LazyRepositoryInjection(Set<String> repositoryTypes) {
            this.repositoryTypes = repositoryTypes;
        }

        @Override
        protected boolean isLazy(DependencyDescriptor descriptor) {
            return repositoryTypes.contains(descriptor.getDependencyType().getName()) || super.isLazy(descriptor);
        }
    }
}

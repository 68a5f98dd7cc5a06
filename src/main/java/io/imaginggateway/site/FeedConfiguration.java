package io.imaginggateway.site;

import ca.uhn.fhir.context.FhirContext;
import io.imaginggateway.mapping.CodeTranslations;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.mapping.PatientIdentity;
import io.imaginggateway.mapping.v2.FieldRule;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Coding;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The feeds ({@code gateway.feeds.<id>}), each with its site rules: {@code gateway.site}, overridden key by key by the
 * feed's own {@code site} section (a list or a single value replaces the site's; a map such as identifier-systems adds
 * to it). Feed {@code default} is always there. Everything is read and checked once at start; a wrong key, value,
 * rule file or ConceptMap stops the start naming the file and the key.
 */
@Configuration
class FeedConfiguration {

    /** Message types the gateway maps, as {@code type^trigger}. */
    static final Set<String> MAPPED_MESSAGE_TYPES = Set.of("ORM^O01", "OMI^O23", "ORU^R01");
    private static final Set<String> FEED_KEYS = Set.of("mllp-port", "dicom-calling-ae-titles", "dicom-inbox", "site");
    private static final Set<String> MAP_KEYS = Set.of("identifier-systems");
    private static final Map<String, Set<String>> NESTED_KEYS = Map.of(
            "patient-identity", Set.of("match-types", "match-untyped"));
    private static final Set<String> SITE_KEYS = siteKeys();

    @Bean
    Feeds feeds(ConfigurableEnvironment environment, SiteProperties site, FhirContext fhir,
            @Value("${gateway.hl7.mllp-port}") int defaultMllpPort) {
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        Set<String> ids = new LinkedHashSet<>();
        ids.add(Feed.DEFAULT);
        ids.addAll(declaredFeeds(sources));
        Map<String, Feed> built = new LinkedHashMap<>();
        for (String id : ids) {
            Binder binder = feedBinder(environment, sources, id);
            String prefix = "gateway.feeds." + id;
            SiteProperties feedSite = id.equals(Feed.DEFAULT) && !declared(sources, prefix) ? site
                    : bind(binder, "site", Bindable.of(SiteProperties.class), prefix + ".site");
            Integer port = bind(binder, "mllp-port", Bindable.of(Integer.class), prefix + ".mllp-port");
            port = port == null && id.equals(Feed.DEFAULT) ? Integer.valueOf(defaultMllpPort) : port;
            List<String> aeTitles = bind(binder, "dicom-calling-ae-titles", Bindable.listOf(String.class),
                    prefix + ".dicom-calling-ae-titles");
            Path inbox = bind(binder, "dicom-inbox", Bindable.of(Path.class), prefix + ".dicom-inbox");
            String defaultInbox = environment.getProperty("gateway.dicom.inbox");
            inbox = inbox == null && id.equals(Feed.DEFAULT) && defaultInbox != null ? Path.of(defaultInbox) : inbox;
            built.put(id, feed(id, port, aeTitles, inbox, feedSite, fhir,
                    id.equals(Feed.DEFAULT) ? "gateway.site" : prefix + ".site"));
        }
        checkPorts(built.values(), environment);
        return new Feeds(built);
    }

    /**
     * Feed ids under gateway.feeds, each checked for unknown keys. Environment variables do not declare feeds (their
     * names lose the dashes, GATEWAY_FEEDS_HOSPITALB_MLLPPORT): they override values of the feeds the files declare.
     */
    private static Set<String> declaredFeeds(Iterable<ConfigurationPropertySource> sources) {
        ConfigurationPropertyName root = ConfigurationPropertyName.of("gateway.feeds");
        Set<String> ids = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : sources) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)
                    || source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
                continue;
            }
            iterable.stream().filter(root::isAncestorOf).forEach(name -> {
                if (name.getNumberOfElements() < 4) {
                    throw new InvalidConfiguration(describe(iterable, name) + ": a feed is declared as gateway.feeds.<id>."
                            + "<key>, with keys " + String.join(", ", new TreeSet<>(FEED_KEYS)));
                }
                checkFeedKey(iterable, name);
                ids.add(name.getElement(2, Form.ORIGINAL));
            });
        }
        return ids;
    }

    private static void checkFeedKey(IterableConfigurationPropertySource source, ConfigurationPropertyName name) {
        String key = name.getElement(3, Form.DASHED);
        if (!FEED_KEYS.contains(key)) {
            throw new InvalidConfiguration(describe(source, name) + ": unknown key '" + key + "' (a feed's keys: "
                    + String.join(", ", new TreeSet<>(FEED_KEYS)) + ")");
        }
        if (key.equals("site")) {
            String siteKey = name.getNumberOfElements() > 4 ? name.getElement(4, Form.DASHED) : "";
            if (!SITE_KEYS.contains(siteKey)) {
                throw new InvalidConfiguration(describe(source, name) + ": unknown key '" + siteKey + "' (the keys of "
                        + "gateway.site: " + String.join(", ", new TreeSet<>(SITE_KEYS)) + ")");
            }
            Set<String> nested = NESTED_KEYS.get(siteKey);
            if (nested != null && (name.getNumberOfElements() < 6 || !nested.contains(name.getElement(5, Form.DASHED)))) {
                throw new InvalidConfiguration(describe(source, name) + ": " + siteKey + " has the keys "
                        + String.join(", ", new TreeSet<>(nested)));
            }
            if (nested == null && !MAP_KEYS.contains(siteKey) && name.getNumberOfElements() > 5 && !name.isNumericIndex(5)) {
                throw new InvalidConfiguration(describe(source, name) + ": " + siteKey + " takes a value, not keys");
            }
        }
    }

    /** The keys of gateway.site, from {@link SiteProperties}. */
    private static Set<String> siteKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (RecordComponent component : SiteProperties.class.getRecordComponents()) {
            keys.add(component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase());
        }
        return keys;
    }

    private static boolean declared(Iterable<ConfigurationPropertySource> sources, String prefix) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(prefix);
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable && iterable.stream().anyMatch(name::isAncestorOf)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads {@code site.*} first from the feed's section, then from gateway.site, with the values' origins kept for
     * messages; {@code mllp-port} etc. from the feed's section.
     */
    private static Binder feedBinder(ConfigurableEnvironment environment, Iterable<ConfigurationPropertySource> sources,
            String id) {
        List<ConfigurationPropertySource> layered = new ArrayList<>();
        sources.forEach(source -> layered.add(source.withPrefix("gateway.feeds." + id)));
        sources.forEach(source -> layered.add(source.withPrefix("gateway")));
        return new Binder(layered, new PropertySourcesPlaceholdersResolver(environment),
                ApplicationConversionService.getSharedInstance());
    }

    private static <T> T bind(Binder binder, String name, Bindable<T> target, String key) {
        try {
            return name.equals("site") ? binder.bindOrCreate(name, target) : binder.bind(name, target).orElse(null);
        } catch (BindException e) {
            ConfigurationProperty property = e.getProperty();
            String where = property == null ? key : key.substring(0, key.lastIndexOf('.') + 1)
                    + property.getName() + (property.getOrigin() == null ? "" : " (" + property.getOrigin() + ")");
            Throwable reason = e.getCause() != null ? e.getCause() : e;
            throw new InvalidConfiguration(where + ": " + (reason.getCause() != null ? reason.getCause().getMessage()
                    : reason.getMessage()), e);
        }
    }

    private static Feed feed(String id, Integer port, List<String> aeTitles, Path inbox, SiteProperties site,
            FhirContext fhir, String key) {
        if (!site.defaultCategory().matches("imaging|laboratory|procedure|therapy|exam")) {
            throw new InvalidConfiguration(key + ".default-category: '" + site.defaultCategory()
                    + "' must be imaging, laboratory, procedure, therapy or exam");
        }
        for (String version : site.hl7Versions()) {
            if (Feed.readableVersion(version) == null) {
                throw new InvalidConfiguration(key + ".hl7-versions: '" + version
                        + "' is not an HL7 version the gateway reads (2.1 to 2.8.1)");
            }
        }
        Set<String> messageTypes = new LinkedHashSet<>();
        for (String type : site.messageTypes()) {
            String normalised = type.trim().toUpperCase();
            if (!MAPPED_MESSAGE_TYPES.contains(normalised)) {
                throw new InvalidConfiguration(key + ".message-types: '" + type + "' is not a message the gateway maps ("
                        + String.join(", ", new TreeSet<>(MAPPED_MESSAGE_TYPES)) + ")");
            }
            messageTypes.add(normalised);
        }
        CodeTranslations codes;
        try {
            codes = CodeTranslations.load(fhir, site.conceptMaps());
        } catch (RuntimeException e) {
            throw new InvalidConfiguration(key + ".concept-maps: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(site.fieldRules())) {
            throw new InvalidConfiguration(key + ".field-rules: no file " + site.fieldRules().toAbsolutePath().normalize());
        }
        List<FieldRule> fieldRules = FieldRuleFile.read(site.fieldRules(), codes);
        MappingRules rules = new MappingRules(id, site.timeZone(), site.messageOffset(), site.identifierSystems(),
                site.localPatientIdSystem().trim(), site.accessionSystem().trim(), site.localSystemBase().trim(),
                new PatientIdentity(site.patientIdentity().matchTypes(), site.patientIdentity().matchUntyped()),
                site.obr24(), coding(key, site.reportCategory()), site.defaultCategory(), site.reportTextTypes(), codes,
                fieldRules);
        Set<String> titles = new LinkedHashSet<>();
        (aeTitles == null ? List.<String>of() : aeTitles).forEach(title -> titles.add(title.trim()));
        return new Feed(id, port, Set.copyOf(titles), inbox, rules, List.copyOf(site.hl7Versions()), Set.copyOf(messageTypes),
                site.acknowledge(), site.peers(), site.mllpTls());
    }

    /** Two listeners cannot share a port: MLLP feeds, the DICOM receiver and the HTTP server. */
    private static void checkPorts(Iterable<Feed> feeds, ConfigurableEnvironment environment) {
        Map<Integer, String> owners = new HashMap<>();
        Integer dicom = environment.getProperty("gateway.dicom.port", Integer.class);
        Integer http = environment.getProperty("server.port", Integer.class);
        claim(owners, dicom, "gateway.dicom.port");
        claim(owners, http, "server.port");
        for (Feed feed : feeds) {
            claim(owners, feed.mllpPort(), feed.id().equals(Feed.DEFAULT) ? "gateway.hl7.mllp-port"
                    : "gateway.feeds." + feed.id() + ".mllp-port");
        }
    }

    private static void claim(Map<Integer, String> owners, Integer port, String key) {
        if (port == null || port == 0) {
            return; // 0: a free port the system chooses (tests)
        }
        String owner = owners.putIfAbsent(port, key);
        if (owner != null) {
            throw new InvalidConfiguration(key + ": port " + port + " is already " + owner);
        }
    }

    /** {@code system|code|display} (display optional). */
    static Coding coding(String key, String setting) {
        String[] parts = setting.trim().split("\\|", 3);
        if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new InvalidConfiguration(key + ".report-category: '" + setting + "' is not system|code|display");
        }
        return new Coding(parts[0], parts[1], parts.length == 3 && !parts[2].isBlank() ? parts[2] : null);
    }

    private static String describe(IterableConfigurationPropertySource source, ConfigurationPropertyName name) {
        ConfigurationProperty property = source.getConfigurationProperty(name);
        return name + (property != null && property.getOrigin() != null ? " (" + property.getOrigin() + ")" : "");
    }
}

package io.imaginggateway.dicom;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import java.util.LinkedList;
import java.util.List;

/**
 * Which presentation contexts the receiver accepts: Verification, and every storage SOP class in the first transfer
 * syntax the sender proposes for it — its preference, compressed or not (JPEG, JPEG-LS, JPEG 2000, RLE, deflated...).
 * The gateway reads only the header and never decodes pixel data, so it has no reason to ask for another encoding;
 * PixelMed's own policies accept only some transfer syntaxes, and a sender whose files are compressed would then have
 * to decompress them (storescu cannot, and fails).
 */
final class StoreAsSentPolicy implements PresentationContextSelectionPolicy {

    private static final byte ACCEPTANCE = 0;
    private static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList proposed, int association, int debugLevel) {
        return applyPresentationContextSelectionPolicy(proposed, association);
    }

    /** Answers each proposed context in place (as PixelMed's own policies do): its result, and one transfer syntax. */
    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList proposed, int association) {
        for (Object item : proposed) {
            PresentationContext context = (PresentationContext) item;
            String sopClass = context.getAbstractSyntaxUID();
            List<?> syntaxes = context.getTransferSyntaxUIDs();
            String chosen = syntaxes == null || syntaxes.isEmpty() ? null : (String) syntaxes.get(0);
            boolean supported = SOPClass.isVerification(sopClass) || SOPClass.isStorage(sopClass);
            context.setResultReason(!supported ? ABSTRACT_SYNTAX_NOT_SUPPORTED
                    : chosen == null ? TRANSFER_SYNTAXES_NOT_SUPPORTED : ACCEPTANCE);
            context.newTransferSyntaxUIDs();
            if (chosen != null) {
                context.addTransferSyntaxUID(chosen);
            }
        }
        return proposed;
    }
}

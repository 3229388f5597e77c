import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.RuleId;

/**
 * Validates PDF files as PDF/A-2b with veraPDF, one JVM for many files: reads one path a
 * line from stdin and answers, for each, one line per failed rule ("RULE clause-test
 * count message"), an "ERROR message" line if the file could not be read, then
 * "DONE compliant|not-compliant".
 */
public final class PdfaCheck {

    public static void main(String[] args) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        PDFAFlavour flavour = PDFAFlavour.PDFA_2_B;
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String path;
        while ((path = input.readLine()) != null) {
            if (path.isBlank()) {
                continue;
            }
            boolean compliant = false;
            try (PDFAParser parser = Foundries.defaultInstance().createParser(new File(path), flavour)) {
                PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
                ValidationResult result = validator.validate(parser);
                compliant = result.isCompliant();
                Map<String, Integer> counts = new TreeMap<>();
                Map<String, String> messages = new TreeMap<>();
                for (TestAssertion assertion : result.getTestAssertions()) {
                    if (assertion.getStatus() != TestAssertion.Status.FAILED) {
                        continue;
                    }
                    RuleId rule = assertion.getRuleId();
                    String id = rule.getClause() + "-" + rule.getTestNumber();
                    counts.merge(id, 1, Integer::sum);
                    messages.putIfAbsent(id, oneLine(assertion.getMessage()));
                }
                for (Map.Entry<String, Integer> entry : counts.entrySet()) {
                    System.out.println("RULE " + entry.getKey() + " " + entry.getValue() + " "
                        + messages.get(entry.getKey()));
                }
            } catch (Exception error) {
                System.out.println("ERROR " + oneLine(String.valueOf(error)));
            }
            System.out.println("DONE " + (compliant ? "compliant" : "not-compliant"));
            System.out.flush();
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}

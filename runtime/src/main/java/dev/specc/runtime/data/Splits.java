package dev.specc.runtime.data;

/**
 * The three sets a run uses, each with one line saying where its examples come from. A source
 * without a test set of its own gets the validation set as {@code test}, and its test description
 * says so. {@code skipped} counts the files left out when the data was listed or cached (each named
 * once in the load's warnings); {@code lateSkips} those found only when a batch decoded them.
 * {@code cache} says where decoded examples are kept and why.
 */
public record Splits(Examples train, Examples validation, Examples test,
                     String trainDescription, String validationDescription, String testDescription,
                     int skipped, String cache, SkipLog lateSkips) {

    /** Whether the source has a test set of its own; without one the validation set stands in. */
    public boolean hasOwnTest() {
        return test != validation;
    }

    /** What stands in for the test split when the data has none ("no test split: the validation set stands in ..."). */
    public String noTestNote() {
        return "no test split: " + testDescription;
    }

    /** The name of the split that a test evaluation actually evaluates: "test" or "validation". */
    public String evaluatedSplit() {
        return hasOwnTest() ? "test" : "validation";
    }
}

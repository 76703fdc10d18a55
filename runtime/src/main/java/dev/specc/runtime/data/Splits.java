package dev.specc.runtime.data;

/**
 * The three sets a run uses, each with one line saying where its examples come from. A source
 * without a test set of its own gets the validation set as {@code test}, and its test description
 * says so.
 */
public record Splits(ImageSet train, ImageSet validation, ImageSet test,
                     String trainDescription, String validationDescription, String testDescription) {

    /** Files of every split that could not be decoded and were left out. */
    public int skipped() {
        return train.skipped() + validation.skipped() + test.skipped();
    }

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

package dev.specc.runtime.data;

/** The three sets a run uses, each with one line saying where its examples come from. */
public record Splits(ImageSet train, ImageSet validation, ImageSet test,
                     String trainDescription, String validationDescription, String testDescription) {

    /** Files of every split that could not be decoded and were left out. */
    public int skipped() {
        return train.skipped() + validation.skipped() + test.skipped();
    }
}

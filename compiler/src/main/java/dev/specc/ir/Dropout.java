package dev.specc.ir;

import java.util.List;

/** Inverted dropout: active while training only. */
public record Dropout(double rate) implements LayerSpec {

    @Override
    public String kind() {
        return "dropout";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        return inputs.get(0);
    }
}

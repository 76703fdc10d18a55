package dev.specc.runtime.data;

import java.io.IOException;
import java.util.List;

/** Some examples of another {@link Examples}, by index: a split, without copying pixels. */
record Subset(Examples all, int[] indices) implements Examples {
    @Override
    public ImageShape shape() {
        return all.shape();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int label(int index) {
        return all.label(indices[index]);
    }

    @Override
    public List<String> classNames() {
        return all.classNames();
    }

    @Override
    public void read(int index, byte[] out, int offset) throws IOException {
        all.read(indices[index], out, offset);
    }

    @Override
    public String describe(int index) {
        return all.describe(indices[index]);
    }

    @Override
    public boolean inMemory() {
        return all.inMemory();
    }

    @Override
    public Examples select(int[] chosen) {
        int[] mapped = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) mapped[i] = indices[chosen[i]];
        return new Subset(all, mapped);
    }
}

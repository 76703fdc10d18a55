package dev.specc.runtime.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.dataset.DatasetBase;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;

/**
 * A chunked or compressed HDF5 dataset of uint8 examples, sliced by jhdf, which decompresses only
 * the chunks a slice needs. One open file serves every reader, one read at a time (jhdf does not
 * promise concurrent reads). jhdf reads through a FileChannel, which closes when a thread reading
 * it is interrupted (a batch stream closed mid-batch): the next read opens the file again. The file
 * is closed by {@link #close} (a later read opens it again), or when the examples are no longer reachable.
 */
final class Hdf5ChunkedPixels implements Hdf5Examples.Pixels {
    private static final Cleaner CLEANER = Cleaner.create(DaemonThreads.named("specc-hdf5-close"));

    /** The open file, apart from this object so that the cleaner can close it once this is unreachable. */
    private static final class OpenFile implements Runnable {
        private HdfFile hdf;
        private Dataset images;

        @Override
        public synchronized void run() {
            if (hdf != null) hdf.close();
            hdf = null;
            images = null;
        }
    }

    private final Path file;
    private final String imagesName;
    private final OpenFile open = new OpenFile();

    /** Takes over {@code hdf}, the file already opened to inspect it. */
    Hdf5ChunkedPixels(Path file, String imagesName, HdfFile hdf) {
        this.file = file;
        this.imagesName = imagesName;
        open.hdf = hdf;
        open.images = hdf.getDatasetByPath(imagesName);
        CLEANER.register(this, open);
    }

    @Override
    public void read(int first, int count, byte[] out, int offset) throws IOException {
        ByteBuffer slice;
        synchronized (open) {
            try {
                slice = slice(first, count);
            } catch (RuntimeException e) {
                if (!closedChannel(e)) throw e;
                // Closed by an interrupt: of this thread (its stream is closing) it fails; of another, it reopens.
                open.run();
                if (Thread.currentThread().isInterrupted()) throw e;
                slice = slice(first, count);
            }
        }
        slice.get(out, offset, slice.remaining());
    }

    private ByteBuffer slice(int first, int count) {
        if (open.hdf == null) {
            open.hdf = new HdfFile(file);
            open.images = open.hdf.getDatasetByPath(imagesName);
        }
        int[] dims = open.images.getDimensions();
        long[] start = new long[dims.length];
        start[0] = first;
        dims[0] = count;
        return ((DatasetBase) open.images).getSliceDataBuffer(start, dims);
    }

    private static boolean closedChannel(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException) return true;
        }
        return false;
    }

    @Override
    public void close() {
        open.run();
    }
}

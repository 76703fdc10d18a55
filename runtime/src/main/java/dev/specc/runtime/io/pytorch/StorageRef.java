package dev.specc.runtime.io.pytorch;

/** A storage a persistent id names: its element type, its key in the archive's data/ folder, its element count. */
record StorageRef(StorageType type, String key, long elements) {
}

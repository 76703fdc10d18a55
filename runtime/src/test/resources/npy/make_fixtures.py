#!/usr/bin/python3
"""The .npy fixtures of NpyTest, written by NumPy itself (Debian's python3-numpy):

    cd runtime/src/test/resources/npy && /usr/bin/python3 make_fixtures.py
"""
import numpy as np

np.save("f4_2x3.npy", np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5)
np.save("u1_1x2x2x3.npy", np.arange(12, dtype=np.uint8).reshape(1, 2, 2, 3) * 20)
np.save("i8_3.npy", np.array([-1, 0, 2**40], dtype=np.int64))
np.save("f4_scalar.npy", np.float32(2.5))
np.save("f4_fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
np.save("f8_2.npy", np.array([1.0, 2.0]))
np.save("f4_big_endian.npy", np.array([1.0, 2.0], dtype=">f4"))
# Version 2.0 (a 4-byte header length), as NumPy writes for headers over 65535 bytes.
with open("f4_v2.npy", "wb") as f:
    np.lib.format.write_array(f, np.array([[1.5, -2.0]], dtype=np.float32), version=(2, 0))

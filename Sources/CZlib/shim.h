/* zlib (Debian zlib1g-dev): CRC-32 for the .npz files ovconvert writes, raw inflate for the ones it reads
   (numpy.savez_compressed stores entries deflated). */
#include <zlib.h>

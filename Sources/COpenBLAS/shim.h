/* OpenBLAS's CBLAS interface. Debian (libopenblas-dev) installs cblas.h under
   /usr/include/x86_64-linux-gnu/openblas-pthread/, which `pkg-config --cflags openblas` adds to the
   search path; /usr/include/x86_64-linux-gnu/cblas.h is the alternatives symlink to the same header. */
#include <cblas.h>

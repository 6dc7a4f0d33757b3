#ifndef OVCONVERT_CIMAGESHIMS_H
#define OVCONVERT_CIMAGESHIMS_H

#include <stddef.h>
#include <stdint.h>

/// A decoded image: `width * height * 3` bytes of 8-bit RGB, rows top to bottom, freed with `ovc_image_free`.
/// On failure `pixels` is NULL and `message` says why (libjpeg's or libpng's own words where they have them);
/// `width` and `height` are set as soon as the header is read, so a refused size can be reported.
typedef struct {
    unsigned char *pixels;
    uint32_t width;
    uint32_t height;
    char message[200];
} ovc_image;

enum {
    OVC_IMAGE_OK = 0,
    /// The file is damaged, truncated or not of the format.
    OVC_IMAGE_ERROR = 1,
    /// `width * height` exceeds the limit given (or is 0): refused before the pixels are allocated.
    OVC_IMAGE_TOO_LARGE = 2,
    /// A valid file of a kind not converted to RGB (CMYK/YCCK JPEG).
    OVC_IMAGE_UNSUPPORTED = 3,
};

/// Decodes a JPEG held in memory to RGB (grayscale replicated) through libjpeg-turbo. libjpeg's errors, which
/// would otherwise exit the process, and a truncated file (libjpeg's "premature end" warning, after which it would
/// fill the rest with grey) return OVC_IMAGE_ERROR; other warnings are tolerated. More than 100 progressive scans
/// are refused (a few bytes of scans can make decoding take minutes).
int ovc_decode_jpeg(const unsigned char *data, size_t size, uint64_t max_pixels, ovc_image *out);

/// Decodes a PNG held in memory to 8-bit RGB through libpng, as OpenCV's `imread(IMREAD_COLOR)` does: palette
/// and low-bit grayscale expanded, grayscale replicated, 16-bit samples cut to their high byte, alpha (and tRNS)
/// dropped, interlacing undone, no gamma correction. Errors return OVC_IMAGE_ERROR instead of aborting.
int ovc_decode_png(const unsigned char *data, size_t size, uint64_t max_pixels, ovc_image *out);

/// Frees the pixels of a decoded image (NULL allowed).
void ovc_image_free(ovc_image *image);

#endif

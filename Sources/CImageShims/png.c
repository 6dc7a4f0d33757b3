// PNG decoding through libpng, with error and warning functions that neither print nor abort: errors record
// libpng's message and longjmp back to the setjmp in ovc_decode_png (all frames in between are C).
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include "CImageShims.h"

struct ovc_png_source {
    const unsigned char *data;
    size_t size;
    size_t at;
};

static void ovc_png_read(png_structp png, png_bytep into, size_t count) {
    struct ovc_png_source *source = png_get_io_ptr(png);
    if (count > source->size - source->at) png_error(png, "truncated file");
    memcpy(into, source->data + source->at, count);
    source->at += count;
}

static void ovc_png_error(png_structp png, png_const_charp message) {
    ovc_image *out = png_get_error_ptr(png);
    snprintf(out->message, sizeof out->message, "%s", message);
    png_longjmp(png, 1);
}

static void ovc_png_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

int ovc_decode_png(const unsigned char *data, size_t size, uint64_t max_pixels, ovc_image *out) {
    memset(out, 0, sizeof *out);
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        snprintf(out->message, sizeof out->message, "not a PNG file (bad signature)");
        return OVC_IMAGE_ERROR;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, out, ovc_png_error, ovc_png_warning);
    if (!png) {
        snprintf(out->message, sizeof out->message, "cannot start libpng");
        return OVC_IMAGE_ERROR;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(out->message, sizeof out->message, "cannot start libpng");
        return OVC_IMAGE_ERROR;
    }
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    struct ovc_png_source source = {data, size, 0};
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        free(pixels);
        free(rows);
        return OVC_IMAGE_ERROR;
    }
    png_set_read_fn(png, &source, ovc_png_read);
    // libpng's own limit is 1,000,000 pixels per side; the caller's limit on the product is the one that matters.
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_read_info(png, info);
    out->width = png_get_image_width(png, info);
    out->height = png_get_image_height(png, info);
    uint64_t count = (uint64_t)out->width * out->height;
    if (count == 0 || count > max_pixels) {
        png_destroy_read_struct(&png, &info, NULL);
        return OVC_IMAGE_TOO_LARGE;
    }
    int color = png_get_color_type(png, info);
    png_set_expand(png);       // palette -> RGB, 1/2/4-bit gray -> 8-bit, tRNS -> alpha
    png_set_strip_16(png);     // 16-bit -> 8-bit by the high byte
    png_set_strip_alpha(png);  // alpha dropped, not composited
    if (!(color & PNG_COLOR_MASK_COLOR)) png_set_gray_to_rgb(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t stride = (size_t)out->width * 3;
    if (png_get_rowbytes(png, info) != stride) {
        snprintf(out->message, sizeof out->message, "rows of %zu bytes after conversion, not %zu",
                 (size_t)png_get_rowbytes(png, info), stride);
        png_longjmp(png, 1);
    }
    pixels = malloc(stride * out->height);
    rows = malloc(sizeof(png_bytep) * out->height);
    if (!pixels || !rows) {
        snprintf(out->message, sizeof out->message, "out of memory for %ux%u pixels", out->width, out->height);
        png_longjmp(png, 1);
    }
    for (uint32_t y = 0; y < out->height; y++) rows[y] = pixels + stride * y;
    png_read_image(png, rows);
    // No png_read_end: the chunks after the image data do not change the pixels.
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    out->pixels = pixels;
    return OVC_IMAGE_OK;
}

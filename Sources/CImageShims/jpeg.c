// JPEG decoding through libjpeg-turbo, with an error manager that returns instead of exiting: libjpeg's default
// error_exit calls exit(), so errors longjmp back to the setjmp in ovc_decode_jpeg. Every libjpeg call made between
// the setjmp and a longjmp is C, so no Swift frame is ever jumped over.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>
#include "CImageShims.h"

enum { OVC_JPEG_MAX_SCANS = 100 };

struct ovc_jpeg_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    ovc_image *out;
};

static void ovc_jpeg_error_exit(j_common_ptr cinfo) {
    struct ovc_jpeg_error *err = (struct ovc_jpeg_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(err->out->message, sizeof err->out->message, "%s", text);
    longjmp(err->jump, 1);
}

static void ovc_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;  // trace messages
    // A truncated file: libjpeg would insert a fake end marker and return grey rows.
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) ovc_jpeg_error_exit(cinfo);
    cinfo->err->num_warnings++;  // "extraneous bytes before marker" and the like, tolerated as OpenCV does
}

static void ovc_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void ovc_jpeg_progress(j_common_ptr cinfo) {
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->input_scan_number > OVC_JPEG_MAX_SCANS) {
        struct ovc_jpeg_error *err = (struct ovc_jpeg_error *)cinfo->err;
        snprintf(err->out->message, sizeof err->out->message, "more than %d progressive scans", OVC_JPEG_MAX_SCANS);
        longjmp(err->jump, 1);
    }
}

int ovc_decode_jpeg(const unsigned char *data, size_t size, uint64_t max_pixels, ovc_image *out) {
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct cinfo;
    struct ovc_jpeg_error err;
    struct jpeg_progress_mgr progress;
    unsigned char *volatile pixels = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = ovc_jpeg_error_exit;
    err.pub.emit_message = ovc_jpeg_emit_message;
    err.pub.output_message = ovc_jpeg_output_message;
    err.out = out;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return OVC_IMAGE_ERROR;
    }
    jpeg_create_decompress(&cinfo);
    progress.progress_monitor = ovc_jpeg_progress;
    cinfo.progress = &progress;
    static const unsigned char empty[1] = {0};
    jpeg_mem_src(&cinfo, size ? data : empty, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    out->width = cinfo.image_width;
    out->height = cinfo.image_height;
    uint64_t count = (uint64_t)cinfo.image_width * cinfo.image_height;
    if (count == 0 || count > max_pixels) {
        jpeg_destroy_decompress(&cinfo);
        return OVC_IMAGE_TOO_LARGE;
    }
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        snprintf(out->message, sizeof out->message, "a CMYK JPEG (convert it to RGB)");
        jpeg_destroy_decompress(&cinfo);
        return OVC_IMAGE_UNSUPPORTED;
    }
    cinfo.out_color_space = JCS_RGB;
    jpeg_start_decompress(&cinfo);
    if (cinfo.output_components != 3 || cinfo.output_width != out->width || cinfo.output_height != out->height) {
        snprintf(out->message, sizeof out->message, "decodes to %d components of %ux%u", cinfo.output_components,
                 cinfo.output_width, cinfo.output_height);
        longjmp(err.jump, 1);
    }
    size_t stride = (size_t)out->width * 3;
    pixels = malloc(stride * out->height);
    if (!pixels) {
        snprintf(out->message, sizeof out->message, "out of memory for %ux%u pixels", out->width, out->height);
        longjmp(err.jump, 1);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    // No jpeg_finish_decompress: every row is read, and a file whose end marker is missing decodes all the same.
    jpeg_destroy_decompress(&cinfo);
    out->pixels = pixels;
    return OVC_IMAGE_OK;
}

void ovc_image_free(ovc_image *image) {
    free(image->pixels);
    image->pixels = NULL;
}

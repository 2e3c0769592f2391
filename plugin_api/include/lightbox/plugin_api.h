/*
 * Lightbox plugin API, version 1.4 — the binary boundary between the engine and a plugin.
 *
 * Plain C on purpose: no STL type, exception or ownership crosses it, so a plugin built with another
 * compiler or standard library still loads. Every struct starts with `struct_size` and only ever grows at
 * the end (fields are appended, never reordered or removed); a reader checks `struct_size` before it
 * touches a field added after version 1.0.
 *
 * A plugin library exports exactly one symbol, LBX_PLUGIN_ENTRY_NAME, that returns a pointer to a static
 * descriptor. The host reads the descriptor's version fields before anything else:
 *   - api_major must equal the host's LBX_PLUGIN_API_VERSION_MAJOR;
 *   - api_minor must not exceed the host's LBX_PLUGIN_API_VERSION_MINOR.
 *
 * Ownership: everything a plugin hands to the host through a descriptor is static and lives as long as
 * the library (the host never unloads a plugin). Everything the host hands to a plugin during a call
 * (buffers, strings, sinks) is valid only for that call. Output goes through host-provided sinks, so the
 * host allocates and owns every result.
 *
 * Threads: a stage's process function (decode, read_metadata, tag, thumbnail) may be called from several
 * threads at once with the same instance. Keep instances immutable after create().
 *
 * Since 1.1 every sink carries the host services (lbx_host_services: a log, a stop check, a threads hint)
 * and a decoder can hand the raw Exif/XMP blocks of its container to the metadata stage
 * (lbx_image_sink.add_metadata_block). A 1.0 plugin never reads those fields and keeps working; a plugin
 * reading them checks the struct_size first (LBX_HAS_FIELD), as for every field added after 1.0.
 *
 * Since 1.2 a tag stage can report regions (lbx_region: a box with a kind, a label, a confidence,
 * optional keypoints and an embedding) besides tags, sees the regions earlier stages reported for the same
 * file and the orientation still to apply to the image (lbx_tag_input), and can attach an embedding to an
 * earlier stage's region (lbx_tag_sink.set_embedding). A stage can name the model files it needs
 * (lbx_stage_desc.models), which `plugins inspect` shows with their source and licence.
 *
 * Since 1.3 a metadata stage can say how people read an entry's value (lbx_metadata_sink.set_printed:
 * "F2.8", "1/125 s", "Fired" for the "14/5", "1/125", "1" of add_entry), which the photo view shows.
 *
 * Since 1.4 the metadata sink says when the host keeps only the summary fields (lbx_metadata_sink.flags,
 * LBX_METADATA_SUMMARY_ONLY: a run that stores and prints no raw entries), so a stage can skip making them.
 *
 * See sdk_docs/plugin-api.md for the reference and sdk_docs/tutorial.md for a walk-through.
 */
#ifndef LIGHTBOX_PLUGIN_API_H
#define LIGHTBOX_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LBX_PLUGIN_API_VERSION_MAJOR 1
#define LBX_PLUGIN_API_VERSION_MINOR 4

/* The one symbol a plugin exports. */
#define LBX_PLUGIN_ENTRY lbx_plugin_describe
#define LBX_PLUGIN_ENTRY_NAME "lbx_plugin_describe"

#if defined(_WIN32)
#define LBX_EXPORT __declspec(dllexport)
#else
#define LBX_EXPORT __attribute__((visibility("default")))
#endif

/* True when the struct at `ptr` (a size-prefixed struct of type `type`) is large enough to hold `field`:
 * a struct made by an older peer ends before the fields added after it. Check before reading any field
 * added after 1.0: LBX_HAS_FIELD(sink, lbx_image_sink, services). */
#define LBX_HAS_FIELD(ptr, type, field) \
    ((ptr) != NULL && (ptr)->struct_size >= offsetof(type, field) + sizeof(((const type*)0)->field))

/* Result of every call across the boundary. Values are part of the ABI: never renumber. */
typedef enum lbx_status {
    LBX_OK = 0,
    LBX_E_UNSUPPORTED = 1,   /* the input is a kind this stage does not handle */
    LBX_E_CORRUPT = 2,       /* the input is malformed */
    LBX_E_TRUNCATED = 3,     /* the input ends early */
    LBX_E_TOO_LARGE = 4,     /* dimensions or sizes over a limit (decompression bomb guard) */
    LBX_E_INVALID_PARAM = 5, /* a parameter value the stage cannot use */
    LBX_E_NO_MEMORY = 6,
    LBX_E_IO = 7,            /* a file the stage needs (rules, data) cannot be read */
    LBX_E_INTERNAL = 8,      /* a bug or an unexpected library failure */
    LBX_E_CANCELLED = 9
} lbx_status;

/* Filled by a plugin when it returns anything but LBX_OK: a short message, lower-case start, no trailing
 * period, with concrete values ("truncated at byte 40960 of 81920"). */
#define LBX_ERROR_MESSAGE_MAX 512
typedef struct lbx_error {
    uint32_t struct_size;
    int32_t code; /* an lbx_status */
    char message[LBX_ERROR_MESSAGE_MAX];
} lbx_error;

/* ----------------------------------------------------------------------------- host services (1.1) */

/* Severity of a message sent through lbx_host_services.log. Values are part of the ABI. */
typedef enum lbx_log_level {
    LBX_LOG_ERROR = 1,
    LBX_LOG_WARNING = 2,
    LBX_LOG_INFO = 3,
    LBX_LOG_DEBUG = 4
} lbx_log_level;

/* What the host offers a stage during one call (API 1.1), reached through the `services` field of the
 * sink the call receives. Valid only during that call; every function is called with `services->host`
 * and may be called from any thread the stage uses for this call. */
typedef struct lbx_host_services {
    uint32_t struct_size;
    void* host;
    /* A message for the engine's log, tagged with the plugin id by the host: one line, no trailing
     * newline, lower-case start. Use it instead of stdout/stderr (a stage's stdout may be a pipe the
     * engine does not read). Never fails; the host may drop messages. */
    void (*log)(void* host, lbx_log_level level, const char* message);
    /* 1 when the file's work should end (the user stopped the job, or the file's deadline is near):
     * return LBX_E_CANCELLED soon. Cheap: poll it between rows, tiles or passes. */
    int32_t (*should_stop)(void* host);
    /* How many threads the stage may use for this one file, its calling thread included; 0: decide
     * yourself (the host did not say). The engine already runs files in parallel: 1 is common. */
    uint32_t threads_hint;
} lbx_host_services;

/* Kinds of raw metadata block a decoder can hand over (lbx_image_sink.add_metadata_block). */
#define LBX_METADATA_BLOCK_EXIF "exif" /* a TIFF structure ("II*\0" or "MM\0*"), optionally behind "Exif\0\0" */
#define LBX_METADATA_BLOCK_XMP "xmp"   /* an XMP packet (UTF-8 RDF/XML) */

/* A raw metadata block handed to a metadata stage's read_metadata_block (API 1.1). */
typedef struct lbx_metadata_block {
    uint32_t struct_size;
    const char* kind; /* LBX_METADATA_BLOCK_EXIF or LBX_METADATA_BLOCK_XMP */
    const uint8_t* data;
    size_t size;
} lbx_metadata_block;

/* ----------------------------------------------------------------------------------------- stages */

typedef enum lbx_stage_kind {
    LBX_STAGE_DECODE = 1,    /* file bytes -> pixels */
    LBX_STAGE_METADATA = 2,  /* file bytes -> key/values and a normalized summary */
    LBX_STAGE_TAG = 3,       /* pixels + metadata -> tags */
    LBX_STAGE_THUMBNAIL = 4  /* pixels -> encoded thumbnails */
} lbx_stage_kind;

typedef enum lbx_param_type {
    LBX_PARAM_BOOL = 1,
    LBX_PARAM_INT = 2,
    LBX_PARAM_DOUBLE = 3,
    LBX_PARAM_STRING = 4,
    LBX_PARAM_PATH = 5,     /* a string the host resolves relative to the config file's folder */
    LBX_PARAM_INT_LIST = 6  /* e.g. thumbnail sizes; default written "256,1024" */
} lbx_param_type;

/* A typed parameter a stage accepts. The host validates config values against it (type, range) before
 * create(), so a stage receives only well-typed values within [min, max]. */
typedef struct lbx_param_desc {
    uint32_t struct_size;
    const char* name;          /* lower_snake_case */
    lbx_param_type type;
    const char* default_value; /* textual default: "85", "true", "256,1024", "rules.toml" */
    double min;                /* for INT, DOUBLE and INT_LIST elements; ignored when min > max */
    double max;
    const char* description;
} lbx_param_desc;

/* A file format a decode or metadata stage accepts, recognised by magic bytes at an offset. A format with
 * several signatures is listed once per signature. */
typedef struct lbx_format_desc {
    uint32_t struct_size;
    const char* name;       /* short lower-case name: "jpeg", "heif", "png", "tiff", "webp" */
    const char* mime_type;
    const char* extensions; /* comma-separated, informative only: the host sniffs content */
    uint32_t magic_offset;
    const uint8_t* magic;
    uint32_t magic_size;
} lbx_format_desc;

/* A parameter value handed to create(). Exactly the member matching `type` is meaningful. */
typedef struct lbx_param_value {
    uint32_t struct_size;
    const char* name;
    lbx_param_type type;
    int32_t bool_value;
    int64_t int_value;
    double double_value;
    const char* string_value; /* STRING and PATH (PATH already resolved to an absolute path) */
    const int64_t* int_list;
    uint32_t int_list_size;
} lbx_param_value;

typedef struct lbx_param_set {
    uint32_t struct_size;
    const lbx_param_value* values; /* one per declared parameter, defaults filled in by the host */
    uint32_t count;
} lbx_param_set;

/* The bytes of one photo file, read once by the host and shared by every stage. */
typedef struct lbx_source {
    uint32_t struct_size;
    const uint8_t* data;
    size_t size;
    const char* path;   /* for messages only: never open it, the bytes are here */
    const char* format; /* the sniffed format name, e.g. "jpeg" */
} lbx_source;

typedef enum lbx_pixel_format {
    LBX_PIXEL_RGB8 = 1 /* 3 bytes per pixel, sRGB, no alpha (decoders flatten alpha over white) */
} lbx_pixel_format;

/* Image flags. */
#define LBX_IMAGE_UPRIGHT 0x1u /* the decoder already applied the file's orientation (HEIF irot/imir) */

typedef struct lbx_image {
    uint32_t struct_size;
    uint32_t width;
    uint32_t height;
    uint32_t stride; /* bytes per row */
    lbx_pixel_format format;
    const uint8_t* pixels;
    uint32_t source_width;  /* the stored size before any scaling on decode and before orientation */
    uint32_t source_height;
    uint32_t flags;         /* LBX_IMAGE_* */
} lbx_image;

typedef struct lbx_decode_request {
    uint32_t struct_size;
    lbx_source source;
    /* The smallest long edge the host needs. A decoder may return a smaller image (DCT scaling, an
     * embedded thumbnail) as long as its long edge is at least this; 0 asks for the full size. An image
     * whose full size is below it is returned at full size. */
    uint32_t min_long_edge;
} lbx_decode_request;

/* Where a decoder puts its pixels. Call set_source_size() as soon as the header is read, before any
 * large allocation: the host refuses images over its pixel limit there (return its status). It takes
 * the stored size, before any orientation the decoder applies (a HEIF 'irot' of 90 degrees still
 * reports the stored width and height). Then call allocate() once for the output and fill the returned
 * buffer (rows of `*stride` bytes). */
typedef struct lbx_image_sink {
    uint32_t struct_size;
    void* host;
    lbx_status (*set_source_size)(void* host, uint32_t width, uint32_t height, lbx_error* error);
    uint8_t* (*allocate)(void* host, uint32_t width, uint32_t height, lbx_pixel_format format,
                         uint32_t flags, uint32_t* stride);
    /* 1.1 */
    const lbx_host_services* services;
    /* Hands a raw Exif or XMP block found in the container (kind LBX_METADATA_BLOCK_*) to the host, which
     * copies it. After the decode, the host reads the blocks with the pipeline's metadata stage and keeps
     * what the file's own metadata reader did not provide, so a decoder of a format the metadata stage
     * does not know (JPEG XL, a camera raw) still gives dates, cameras and places. Returns
     * LBX_E_INVALID_PARAM for an unknown kind or an empty block, LBX_E_TOO_LARGE over 16 MiB (or after
     * 16 blocks): ignoring a failure is fine, it only loses that block. */
    lbx_status (*add_metadata_block)(void* host, const char* kind, const uint8_t* data, size_t size,
                                     lbx_error* error);
} lbx_image_sink;

/* Names of the normalized metadata summary. Text fields are set with set_text, numbers with
 * set_number. Units: seconds, millimetres, metres, decimal degrees (south and west negative). */
#define LBX_FIELD_TAKEN_AT "taken_at"           /* text, ISO 8601 "2023-06-01T08:00:00.25+02:00" */
#define LBX_FIELD_MAKE "make"                   /* text */
#define LBX_FIELD_MODEL "model"                 /* text */
#define LBX_FIELD_LENS "lens"                   /* text */
#define LBX_FIELD_EXPOSURE_TIME "exposure_time" /* number, seconds */
#define LBX_FIELD_F_NUMBER "f_number"           /* number */
#define LBX_FIELD_ISO "iso"                     /* number */
#define LBX_FIELD_FOCAL_LENGTH "focal_length"   /* number, mm */
#define LBX_FIELD_ORIENTATION "orientation"     /* number, 1..8 (EXIF) */
#define LBX_FIELD_GPS_LAT "gps_lat"             /* number, decimal degrees */
#define LBX_FIELD_GPS_LON "gps_lon"
#define LBX_FIELD_GPS_ALT "gps_alt"             /* number, metres above sea level */
#define LBX_FIELD_WIDTH "width"                 /* number, stored pixels, before orientation */
#define LBX_FIELD_HEIGHT "height"

typedef struct lbx_metadata_sink {
    uint32_t struct_size;
    void* host;
    /* A raw entry, keyed like Exiv2: "Exif.Image.Make", "Xmp.dc.subject", "Iptc.Application2.Keywords". */
    void (*add_entry)(void* host, const char* key, const char* value);
    void (*set_text)(void* host, const char* field, const char* value);
    void (*set_number)(void* host, const char* field, double value);
    /* 1.1 */
    const lbx_host_services* services;
    /* 1.3: the value of the entry last added with `key`, as people read it ("F2.8", "1/125 s", "Fired",
     * "Canon EF 28mm f/2.8"): what a viewer shows instead of the raw value. Leave it out when it would
     * equal the raw value. Check LBX_HAS_FIELD first: an older host's sink ends before it. */
    void (*set_printed)(void* host, const char* key, const char* printed);
    /* 1.4: LBX_METADATA_* bits. Check LBX_HAS_FIELD first: an older host's sink ends before it. */
    uint32_t flags;
} lbx_metadata_sink;

/* lbx_metadata_sink.flags (1.4). The host keeps only what set_text and set_number give (a metadata-only
 * run with no catalog and no raw entries in its output): add_entry and set_printed are ignored, and a
 * stage may skip the work of making them. Nothing else changes: the summary fields are still wanted. */
#define LBX_METADATA_SUMMARY_ONLY 1u

/* Read access to the metadata gathered so far, for tag and thumbnail stages. */
typedef struct lbx_metadata_view {
    uint32_t struct_size;
    void* host;
    const char* (*get_text)(void* host, const char* field);            /* NULL when absent */
    int32_t (*get_number)(void* host, const char* field, double* value); /* 1 when present */
    const char* (*get_entry)(void* host, const char* key);             /* raw entry or NULL */
} lbx_metadata_view;

/* ------------------------------------------------------------------------------- regions (1.2) */

/* Kinds of region. Other lower-case kinds are allowed; these two are the ones Lightbox searches and draws. */
#define LBX_REGION_OBJECT "object" /* a thing with a label: "dog", "car" (COCO names for the built-in stage) */
#define LBX_REGION_FACE "face"     /* a human face; label empty, or a person's name set by the user */

/* Limits the host enforces (a larger region is refused with LBX_E_TOO_LARGE). */
#define LBX_MAX_REGION_POINTS 64      /* keypoints per region */
#define LBX_MAX_EMBEDDING_SIZE 4096   /* floats per embedding */
#define LBX_MAX_REGIONS 1000          /* regions per file, all stages together */

/* Part of a photo a stage found something in. Coordinates are fractions of the *upright* image (the EXIF
 * orientation applied, see lbx_tag_input.orientation): x and width of its width, y and height of its
 * height, each in [0, 1], origin top-left. So boxes stay right whatever size the host decoded at. */
typedef struct lbx_region {
    uint32_t struct_size;
    const char* kind;       /* LBX_REGION_OBJECT, LBX_REGION_FACE, or another lower-case kind */
    const char* label;      /* lower-case label ("dog"); NULL or "" when none */
    double confidence;      /* [0, 1] */
    double x, y, width, height;
    const float* points;    /* optional keypoints: point_count (x, y) pairs in the same fractions */
    uint32_t point_count;   /* faces from the built-in stage: 6 (eyes, nose, mouth, ears) */
    double quality;         /* optional, [0, 1]: how usable the region is (a sharp, frontal, large face
                               is near 1); 0 when the stage does not say */
    const float* embedding; /* optional vector describing the content (a face's identity); NULL when none */
    uint32_t embedding_size;
    const char* embedding_model; /* names the embedding's space ("dlib-resnet-128"): only embeddings of
                                    the same model are ever compared; required with an embedding */
    const char* source;     /* in lbx_tag_input.regions: the id of the plugin that made it; ignored in add_region */
} lbx_region;

typedef struct lbx_tag_input {
    uint32_t struct_size;
    const lbx_source* source; /* never NULL */
    const lbx_image* image; /* NULL when the pipeline runs without a decode stage */
    const lbx_metadata_view* metadata;
    /* 1.2 */
    /* The EXIF orientation (1..8) still to apply to `image` to show it upright (1 when it already is).
     * Regions are reported in upright coordinates: a stage that finds things in the stored pixels maps its
     * boxes through this orientation (or turns the image first, as detectors usually want). */
    uint32_t orientation;
    /* The regions earlier stages reported for this file, in order; index i is the region_index of
     * lbx_tag_sink.set_embedding. */
    const lbx_region* regions;
    uint32_t region_count;
} lbx_tag_input;

typedef struct lbx_tag_sink {
    uint32_t struct_size;
    void* host;
    /* confidence in [0, 1]; category is lower-case ("date", "camera", "place", "colour", ...) */
    void (*add_tag)(void* host, const char* name, const char* category, double confidence);
    /* 1.1 */
    const lbx_host_services* services;
    /* 1.2 */
    /* Reports a region; the host copies it. LBX_E_INVALID_PARAM for a missing kind, a box outside [0, 1]
     * or an embedding without a model; LBX_E_TOO_LARGE past the limits above. */
    lbx_status (*add_region)(void* host, const lbx_region* region, lbx_error* error);
    /* Attaches (or replaces) the embedding of the region lbx_tag_input.regions[region_index], one an
     * earlier stage found: a face-identity stage describes the faces a detector found. */
    lbx_status (*set_embedding)(void* host, uint32_t region_index, const char* model, const float* values,
                                uint32_t count, lbx_error* error);
} lbx_tag_sink;

typedef struct lbx_thumbnail_input {
    uint32_t struct_size;
    const lbx_source* source; /* never NULL */
    const lbx_image* image;   /* never NULL: a thumbnail stage always runs after a decode stage */
    const lbx_metadata_view* metadata;
    /* The EXIF orientation (1..8) still to apply to `image` to show it upright; 1 when it already is
     * (the host sets 1 for LBX_IMAGE_UPRIGHT images, so HEIF is never turned twice). */
    uint32_t orientation;
    /* Long edges asked for, in pixels, largest first. */
    const uint32_t* sizes;
    uint32_t size_count;
} lbx_thumbnail_input;

typedef struct lbx_thumbnail_sink {
    uint32_t struct_size;
    void* host;
    /* One call per size asked; `size` is the requested long edge, width/height the actual pixels. */
    lbx_status (*emit)(void* host, uint32_t size, uint32_t width, uint32_t height, const char* mime_type,
                       const uint8_t* data, size_t data_size, lbx_error* error);
    /* 1.1 */
    const lbx_host_services* services;
} lbx_thumbnail_sink;

/* A model file a stage loads (API 1.2), shown by `plugins inspect`. */
typedef struct lbx_model_desc {
    uint32_t struct_size;
    const char* name;    /* "CenterNet MobileNetV3, COCO-80" */
    const char* file;    /* relative to the stage's model folder: "objects/centernet.onnx" */
    const char* source;  /* where it comes from: "npm @vladmandic/human@3.3.6, converted to ONNX" */
    const char* license; /* SPDX identifier or a short phrase */
    const char* sha256;  /* the checksum the stage expects, lower-case hex; NULL when not checked */
} lbx_model_desc;

typedef struct lbx_stage_desc {
    uint32_t struct_size;
    const char* id;          /* lower-case, unique across plugins: "jpegdec", "exif", "thumbnail" */
    lbx_stage_kind kind;
    const char* description;
    int32_t priority;        /* among stages of one kind accepting the same format, the highest wins */
    const lbx_format_desc* formats; /* decode and metadata stages; NULL/0 for the others */
    uint32_t format_count;
    const lbx_param_desc* params;
    uint32_t param_count;

    /* Make an instance from validated parameters. Optional: when NULL the instance is NULL. */
    lbx_status (*create)(const lbx_param_set* params, void** instance, lbx_error* error);
    void (*destroy)(void* instance);

    /* Exactly the function matching `kind` is set. */
    lbx_status (*decode)(void* instance, const lbx_decode_request* request, const lbx_image_sink* sink,
                         lbx_error* error);
    lbx_status (*read_metadata)(void* instance, const lbx_source* source, const lbx_metadata_sink* sink,
                                lbx_error* error);
    lbx_status (*tag)(void* instance, const lbx_tag_input* input, const lbx_tag_sink* sink,
                      lbx_error* error);
    lbx_status (*thumbnail)(void* instance, const lbx_thumbnail_input* input,
                            const lbx_thumbnail_sink* sink, lbx_error* error);

    /* 1.1, metadata stages, optional (NULL: not supported): read a raw block a decoder handed over
     * (lbx_image_sink.add_metadata_block) into the same sink and summary fields as read_metadata. */
    lbx_status (*read_metadata_block)(void* instance, const lbx_metadata_block* block,
                                      const lbx_metadata_sink* sink, lbx_error* error);

    /* 1.2, optional: the model or data files the stage loads, for `plugins inspect` (what, from where,
     * under which licence). Informative: the stage itself checks its files when it is created. */
    const struct lbx_model_desc* models;
    uint32_t model_count;
} lbx_stage_desc;

typedef struct lbx_plugin_desc {
    uint32_t struct_size;
    uint16_t api_major; /* LBX_PLUGIN_API_VERSION_MAJOR the plugin was built with */
    uint16_t api_minor;
    const char* id;      /* reverse-DNS: "org.lightbox.jpegdec" */
    const char* name;    /* human name */
    const char* version; /* semantic version "1.2.3" */
    const char* license; /* SPDX identifier */
    const char* description;
    const lbx_stage_desc* const* stages;
    uint32_t stage_count;
} lbx_plugin_desc;

typedef const lbx_plugin_desc* (*lbx_plugin_describe_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LIGHTBOX_PLUGIN_API_H */

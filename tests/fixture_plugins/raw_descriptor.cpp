// A plugin written against the raw C ABI with a chosen API version, for the registry's version checks:
// built as API 2.0 (incompatible major), 1.99 (minor newer than the host), 1.0 with a stage that
// lacks its function, and a good 1.0 one whose descriptions are Latin-1 bytes, not UTF-8.
#include <lightbox/plugin_api.h>

namespace {

#ifndef FIXTURE_NO_FUNCTION
lbx_status tag(void*, const lbx_tag_input*, const lbx_tag_sink* sink, lbx_error*) {
    sink->add_tag(sink->host, "raw", "test", 1.0);
    return LBX_OK;
}
#endif

lbx_stage_desc make_stage() {
    lbx_stage_desc s{};
    s.struct_size = sizeof(lbx_stage_desc);
    s.id = "raw-tag";
    s.kind = LBX_STAGE_TAG;
#ifdef FIXTURE_LATIN1
    s.description = "caf\xE9 stage";
#else
    s.description = "raw C stage";
#endif
#ifndef FIXTURE_NO_FUNCTION
    s.tag = &tag;
#endif
    return s;
}

const lbx_stage_desc kStage = make_stage();
const lbx_stage_desc* const kStages[] = {&kStage};

}  // namespace

extern "C" LBX_EXPORT const lbx_plugin_desc* lbx_plugin_describe(void) {
    static const lbx_plugin_desc desc = {sizeof(lbx_plugin_desc), FIXTURE_API_MAJOR, FIXTURE_API_MINOR,
#ifdef FIXTURE_LATIN1
                                         "org.lightbox.test.raw", "Raw", "1.0.0", "MIT", "d\xE9j\xE0 vu",
#else
                                         "org.lightbox.test.raw", "Raw", "1.0.0", "MIT", "raw descriptor",
#endif
                                         kStages, 1};
    return &desc;
}

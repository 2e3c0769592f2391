// A well-formed tag plugin for tests: tags every photo with its `label` parameter, and with
// "has-pixels" when it was given an image. Built twice (good/ and duplicate/) to test duplicate ids.
#include <lightbox/plugin.hpp>

namespace {

class FakeTagger {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit FakeTagger(const lbx::sdk::Params& params) : label_(params.get_string("label")), weight_(params.get_int("weight")) {}

    lbx::sdk::Status tag(const lbx::sdk::TagInput& input, lbx::sdk::TagSink& sink) const {
        sink.add(label_, "test", weight_ / 10.0);
        if (input.image) sink.add("has-pixels", "test", 1.0);
        return lbx::sdk::ok();
    }

private:
    std::string label_;
    int64_t weight_;
};

const lbx_param_desc kParams[] = {
    lbx::sdk::param_string("label", "fake", "the tag every photo gets"),
    lbx::sdk::param_int("weight", "10", 0, 10, "confidence in tenths"),
};
const lbx_stage_desc kStage = lbx::sdk::make_stage<FakeTagger>("fake-tag", "tags every photo", 0, {}, kParams);

}  // namespace

LBX_PLUGIN("org.lightbox.test.fake", "Fake tagger", "0.1.0", "MIT", "a test plugin", &kStage)

// A plugin whose stages fail: a tagger that returns an error for every photo and one that throws, to
// test that failures become values (never exceptions across the ABI) and the run goes on.
#include <lightbox/plugin.hpp>

#include <stdexcept>

namespace {

class FailingTagger {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit FailingTagger(const lbx::sdk::Params&) {}
    lbx::sdk::Status tag(const lbx::sdk::TagInput&, lbx::sdk::TagSink&) const {
        return lbx::sdk::fail(LBX_E_CORRUPT, "always fails on purpose");
    }
};

class ThrowingTagger {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit ThrowingTagger(const lbx::sdk::Params&) {}
    lbx::sdk::Status tag(const lbx::sdk::TagInput&, lbx::sdk::TagSink&) const {
        throw std::runtime_error("thrown inside the plugin");
    }
};

const lbx_stage_desc kFailing = lbx::sdk::make_stage<FailingTagger>("failing-tag", "fails every photo", 0, {}, {});
const lbx_stage_desc kThrowing = lbx::sdk::make_stage<ThrowingTagger>("throwing-tag", "throws for every photo", 0, {}, {});

}  // namespace

LBX_PLUGIN("org.lightbox.test.failing", "Failing stages", "0.1.0", "MIT", "a test plugin", &kFailing, &kThrowing)

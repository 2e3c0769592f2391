// How the objects stage combines its two detectors: CenterNet finds (boxes, labels), NanoDet confirms.
// A CenterNet detection that NanoDet sees more surely (same label, boxes overlapping by IoU >= 0.5) rises
// to the geometric mean of the two scores; one NanoDet scores lower, or does not see, keeps its own.
// Why: on the 149 hand-labelled corpus photos (sdk_docs/analysis.md), CenterNet alone at 0.35 found 5 of
// the 7 photos with animals (a greyhound's head at 0.32); raised this way, 6 of 7 with no more false ones,
// vehicles 23 of 25 instead of 21, people unchanged, and 3 photos gained a false drinks or food group.
// NanoDet's own detections are not added: alone it finds animals in 11 of those photos that have none.
#pragma once

#include "detection.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace lbx::plugins::vision {

constexpr float kAgreementIou = 0.5f;

// `found`'s detections with their scores raised where `confirming` agrees, keeping those at or above
// `threshold`, best first. A detection below threshold² cannot reach threshold (a score is at most 1),
// so `found` needs nothing lower.
inline std::vector<Detection> confirmed(std::vector<Detection> found, const std::vector<Detection>& confirming,
                                        float threshold) {
    std::vector<Detection> kept;
    for (Detection& d : found) {
        float second = 0;
        for (const Detection& c : confirming)
            if (c.label == d.label && iou(c.box, d.box) >= kAgreementIou) second = std::max(second, c.score);
        if (second > d.score) d.score = std::sqrt(d.score * second);
        if (d.score >= threshold) kept.push_back(std::move(d));
    }
    std::stable_sort(kept.begin(), kept.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
    return kept;
}

}  // namespace lbx::plugins::vision

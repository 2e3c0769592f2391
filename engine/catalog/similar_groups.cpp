#include "catalog/similar_groups.hpp"

#include "pipeline/perceptual_hash.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <numeric>
#include <unordered_map>

namespace lbx::engine::catalog {
namespace {

// The 64 bits cut into `count` bands of nearly equal width (at most 16 bits: a bucket table per band).
struct Bands {
    int count = 4;
    std::array<int, 17> first{};  // band b is bits [first[b], first[b + 1])
    explicit Bands(int n) : count(n) {
        for (int b = 0; b <= n; ++b) first[static_cast<std::size_t>(b)] = b * 64 / n;
    }
    int width(int b) const { return first[static_cast<std::size_t>(b) + 1] - first[static_cast<std::size_t>(b)]; }
    uint32_t of(uint64_t hash, int b) const {
        return static_cast<uint32_t>(hash >> first[static_cast<std::size_t>(b)]) & ((1u << width(b)) - 1);
    }
};

double binomial_sum(int n, int r) {  // how many values are at most r bits from one of n bits
    double sum = 0, term = 1;
    for (int k = 0; k <= r; ++k) {
        sum += term;
        term = term * (n - k) / (k + 1);
    }
    return sum;
}

// The band count with the least expected work for `n` hashes: more bands mean fewer probes per band
// (a smaller radius) but fuller buckets. For distance 8 and 100 000 photos: 5 bands of 12-13 bits,
// radius 1.
int best_band_count(std::size_t n, int distance) {
    int best = 4;
    double best_cost = -1;
    for (int m = 4; m <= 16; ++m) {
        const int bits = 64 / m, radius = distance / m;
        const double probes = binomial_sum(bits, radius);
        const double cost = m * probes * (1.0 + static_cast<double>(n) / static_cast<double>(1u << bits));
        if (best_cost < 0 || cost < best_cost) best = m, best_cost = cost;
    }
    return best;
}

// Union-find with path halving: the components of the pairs found.
class Components {
public:
    explicit Components(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), std::size_t{0}); }
    std::size_t find(std::size_t i) {
        while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
        return i;
    }
    void join(std::size_t a, std::size_t b) {
        a = find(a), b = find(b);
        if (a != b) parent_[std::max(a, b)] = std::min(a, b);
    }

private:
    std::vector<std::size_t> parent_;
};

// Every `bits`-bit value at most `radius` bits from `value`.
void neighbours(uint32_t value, int radius, int bits, int from_bit, std::vector<uint32_t>& out) {
    out.push_back(value);
    if (radius == 0) return;
    for (int bit = from_bit; bit < bits; ++bit) neighbours(value ^ (1u << bit), radius - 1, bits, bit + 1, out);
}

}  // namespace

std::vector<std::vector<std::size_t>> near_components(const std::vector<uint64_t>& hashes, int distance) {
    const std::size_t n = hashes.size();
    Components components(n);
    distance = std::clamp(distance, 0, kMaxSimilarDistance);
    const Bands bands(best_band_count(n, distance));
    const int radius = distance / bands.count;  // pigeonhole: some band is at most this far
    // Per band: the photos sorted by their band value, and where each value's bucket starts (counting sort).
    std::vector<std::vector<uint32_t>> starts(static_cast<std::size_t>(bands.count)), members(static_cast<std::size_t>(bands.count));
    for (int b = 0; b < bands.count; ++b) {
        auto& start = starts[static_cast<std::size_t>(b)];
        auto& member = members[static_cast<std::size_t>(b)];
        const std::size_t buckets = std::size_t{1} << bands.width(b);
        start.assign(buckets + 1, 0);
        for (uint64_t h : hashes) ++start[bands.of(h, b) + 1];
        for (std::size_t v = 0; v < buckets; ++v) start[v + 1] += start[v];
        member.resize(n);
        std::vector<uint32_t> next(start.begin(), start.end() - 1);
        for (std::size_t i = 0; i < n; ++i) member[next[bands.of(hashes[i], b)]++] = static_cast<uint32_t>(i);
    }
    std::vector<uint32_t> probes;
    for (std::size_t i = 0; i < n; ++i) {
        for (int b = 0; b < bands.count; ++b) {
            const auto& start = starts[static_cast<std::size_t>(b)];
            const auto& member = members[static_cast<std::size_t>(b)];
            probes.clear();
            neighbours(bands.of(hashes[i], b), radius, bands.width(b), 0, probes);
            for (uint32_t value : probes) {
                for (uint32_t k = start[value]; k < start[value + 1]; ++k) {
                    const uint32_t j = member[k];
                    // Each pair once (j > i), and only a join when it can change something.
                    if (j > i && hamming_distance(hashes[i], hashes[j]) <= distance && components.find(i) != components.find(j))
                        components.join(i, j);
                }
            }
        }
    }
    std::unordered_map<std::size_t, std::vector<std::size_t>> by_root;
    for (std::size_t i = 0; i < n; ++i) by_root[components.find(i)].push_back(i);
    std::vector<std::vector<std::size_t>> out;
    for (auto& [root, members_of] : by_root)
        if (members_of.size() > 1) out.push_back(std::move(members_of));
    std::sort(out.begin(), out.end());
    return out;
}

Expected<GroupIndex> group_similar(Database& db, int distance) {
    distance = std::clamp(distance, 0, kMaxSimilarDistance);
    // Every live photo once, with its first path, how many live paths it has, and its hash; failed and
    // missing files are not in the library's view and are left out.
    auto stmt = db.prepare(
        "SELECT f.hash, min(f.path), count(*), p.phash FROM files f JOIN photos p ON p.hash = f.hash "
        "WHERE f.status = 'ok' GROUP BY f.hash, p.phash");  // one phash per hash: the photo's
    if (!stmt) return unexpected(stmt.error());
    struct Live {
        std::string hash, first_path;
        int64_t paths = 0;
    };
    std::vector<Live> live;
    std::vector<uint64_t> hashes;
    std::vector<std::size_t> hashed;  // index into `live` of each entry of `hashes`
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        if (!stmt->column_is_null(3)) {
            hashes.push_back(static_cast<uint64_t>(stmt->column_int(3)));
            hashed.push_back(live.size());
        }
        live.push_back(Live{stmt->column_text(0), stmt->column_text(1), stmt->column_int(2)});
    }

    std::vector<std::vector<std::size_t>> groups;  // indexes into `live`
    std::vector<bool> grouped(live.size(), false);
    for (const auto& component : near_components(hashes, distance)) {
        std::vector<std::size_t> group;
        for (std::size_t k : component) {
            group.push_back(hashed[k]);
            grouped[hashed[k]] = true;
        }
        groups.push_back(std::move(group));
    }
    // Exact copies with no near-identical photo (or no perceptual hash): a group of one photo.
    for (std::size_t i = 0; i < live.size(); ++i)
        if (!grouped[i] && live[i].paths > 1) groups.push_back({i});

    GroupIndex index;
    index.groups.reserve(groups.size());
    for (auto& group : groups) {
        std::sort(group.begin(), group.end(), [&](std::size_t a, std::size_t b) { return live[a].first_path < live[b].first_path; });
    }
    std::sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) {
        return live[a.front()].first_path < live[b.front()].first_path;
    });
    for (const auto& group : groups) {
        std::vector<std::string> ids;
        for (std::size_t i : group) ids.push_back(live[i].hash);
        index.groups.push_back(std::move(ids));
    }
    return index;
}

Expected<std::vector<SimilarGroup>> similar_groups_page(Database& db, const GroupIndex& index, int64_t offset, int64_t limit) {
    const std::size_t total = index.groups.size();
    const std::size_t begin = static_cast<std::size_t>(std::clamp<int64_t>(offset, 0, static_cast<int64_t>(total)));
    const std::size_t end = limit < 0 ? total : begin + std::min<std::size_t>(total - begin, static_cast<std::size_t>(limit));
    // The page's photos and their live paths in two statements (a JSON array: one bound parameter).
    nlohmann::json ids = nlohmann::json::array();
    for (std::size_t g = begin; g < end; ++g)
        for (const std::string& id : index.groups[g]) ids.push_back(id);
    std::unordered_map<std::string, SimilarPhoto> photos;
    auto details = db.prepare(
        "SELECT hash, phash, format, width, height, file_size, coalesce(taken_at, ''), rotation FROM photos "
        "WHERE hash IN (SELECT value FROM json_each(?1))");
    if (!details) return unexpected(details.error());
    details->bind({ids.dump()});
    for (;;) {
        auto row = details->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        SimilarPhoto p;
        p.hash = details->column_text(0);
        if (!details->column_is_null(1)) p.perceptual_hash = static_cast<uint64_t>(details->column_int(1));
        p.format = details->column_text(2);
        p.width = static_cast<uint32_t>(details->column_int(3));
        p.height = static_cast<uint32_t>(details->column_int(4));
        p.file_size = static_cast<uint64_t>(details->column_int(5));
        p.taken_at = details->column_text(6);
        p.rotation = static_cast<uint32_t>(details->column_int(7));
        photos[p.hash] = std::move(p);
    }
    auto paths = db.prepare(
        "SELECT hash, path FROM files WHERE status = 'ok' AND hash IN (SELECT value FROM json_each(?1)) ORDER BY hash, path");
    if (!paths) return unexpected(paths.error());
    paths->bind({ids.dump()});
    for (;;) {
        auto row = paths->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        if (auto it = photos.find(paths->column_text(0)); it != photos.end()) it->second.paths.push_back(paths->column_text(1));
    }

    std::vector<SimilarGroup> out;
    for (std::size_t g = begin; g < end; ++g) {
        SimilarGroup group;
        for (const std::string& id : index.groups[g]) {
            auto it = photos.find(id);
            // Removed since the grouping (the index is made per request, so only a race): left out.
            if (it == photos.end() || it->second.paths.empty()) continue;
            group.photos.push_back(it->second);
        }
        // The one most worth keeping first: most pixels, then most bytes (least compressed), then path.
        std::sort(group.photos.begin(), group.photos.end(), [](const SimilarPhoto& a, const SimilarPhoto& b) {
            const uint64_t pa = uint64_t{a.width} * a.height, pb = uint64_t{b.width} * b.height;
            if (pa != pb) return pa > pb;
            if (a.file_size != b.file_size) return a.file_size > b.file_size;
            return a.paths.front() < b.paths.front();
        });
        for (SimilarPhoto& p : group.photos) {
            const auto& first = group.photos.front().perceptual_hash;
            p.distance = first && p.perceptual_hash ? hamming_distance(*first, *p.perceptual_hash) : 0;
        }
        out.push_back(std::move(group));
    }
    return out;
}

}  // namespace lbx::engine::catalog

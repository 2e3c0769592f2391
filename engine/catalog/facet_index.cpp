#include "catalog/facet_index.hpp"

#include "catalog/text_match.hpp"

#include <algorithm>
#include <utility>

namespace lbx::engine::catalog {
namespace {

// Steps `sql` to its end, calling `row` with the statement on each row.
template <class Row>
Expected<void> each_row(Database& db, std::string_view sql, Row&& row) {
    auto stmt = db.prepare(sql);
    if (!stmt) return unexpected(stmt.error());
    for (;;) {
        auto more = stmt->step();
        if (!more) return unexpected(more.error());
        if (!*more) return {};
        row(*stmt);
    }
}

// (photo, value) pairs, sorted and unique, as ranges per photo.
void to_ranges(std::vector<std::pair<uint32_t, uint32_t>>& pairs, std::vector<uint32_t>& values, std::size_t photos,
               const auto& set_range) {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    values.clear();
    values.reserve(pairs.size());
    std::size_t next = 0;
    for (uint32_t photo = 0; photo < photos; ++photo) {
        const auto begin = static_cast<uint32_t>(values.size());
        for (; next < pairs.size() && pairs[next].first == photo; ++next) values.push_back(pairs[next].second);
        set_range(photo, begin, static_cast<uint32_t>(values.size()));
    }
}

}  // namespace

std::string FacetIndex::match_key(char kind, std::string_view name) {
    std::string key;
    key.reserve(name.size() + 2);
    key += kind;
    key += ':';
    for (char c : name) key += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    return key;
}

std::optional<uint32_t> FacetIndex::key_id(std::string_view key) const {
    const auto found = key_ids_.find(std::string(key));
    if (found == key_ids_.end()) return std::nullopt;
    return found->second;
}

FacetIndex::Listing FacetIndex::listing(uint32_t photo) const {
    const Photo& p = photos_[photo];
    Listing out;
    out.hash = *p.hash;
    out.path = text(p.path);
    if (p.has_taken_at) out.taken_at = text(p.taken_at);
    out.added_at = p.added_at;
    out.keys = std::span<const uint32_t>(keys_).subspan(p.keys_begin, p.keys_end - p.keys_begin);
    return out;
}

FacetIndex::Text FacetIndex::keep_text(std::string_view value) {
    const Text kept{text_.size(), static_cast<uint32_t>(value.size())};
    text_ += value;
    return kept;
}

uint32_t FacetIndex::intern(std::string_view value) {
    auto [it, inserted] = name_ids_.try_emplace(std::string(value), static_cast<uint32_t>(names_.size()));
    if (inserted) names_.push_back(it->first);
    return it->second;
}

Expected<void> FacetIndex::refresh(Database& db) {
    auto stamp = change_stamp(db);
    if (!stamp) return unexpected(stamp.error());
    if (*stamp == built_at_) return {};
    built_at_ = ChangeStamp{};  // a failed or half-done build is built again next time
    if (auto ok = rebuild(db); !ok) return ok;
    built_at_ = *stamp;
    return {};
}

Expected<void> FacetIndex::rebuild(Database& db) {
    photo_of_hash_.clear();
    photos_.clear();
    names_.clear();
    name_ids_.clear();
    key_ids_.clear();
    text_.clear();
    std::string key;  // reused: no allocation per row

    auto photos = each_row(db,
                           std::string("SELECT p.hash, trim(") + kCameraName + "), p.model IS NOT NULL, "
                           "substr(p.taken_at, 1, 4), p.taken_at IS NOT NULL, substr(p.taken_at, 1, 7), length(p.taken_at) >= 7, "
                           "coalesce(p.taken_at, ''), p.added_at FROM photos p",
                           [&](Statement& s) {
                               const auto index = static_cast<uint32_t>(photos_.size());
                               Photo photo;
                               if (s.column_int(2)) photo.camera = intern(s.column_view(1));
                               if (s.column_int(4)) {
                                   photo.year = intern(s.column_view(3));
                                   photo.has_taken_at = true;
                                   photo.taken_at = keep_text(s.column_view(7));
                               }
                               if (s.column_int(6)) photo.month = intern(s.column_view(5));
                               photo.added_at = s.column_int(8);
                               const auto [entry, inserted] = photo_of_hash_.emplace(std::string(s.column_view(0)), index);
                               photo.hash = &entry->first;
                               photos_.push_back(photo);
                           });
    if (!photos) return photos;

    // Each photo's first live file, in byte order (as SQLite's min(); compared here rather than by the
    // server, whose collation may not be bytewise).
    auto files = each_row(db, "SELECT hash, path FROM files WHERE status = 'ok' AND hash IS NOT NULL", [&](Statement& s) {
        key.assign(s.column_view(0));
        const auto found = photo_of_hash_.find(key);
        if (found == photo_of_hash_.end()) return;
        Photo& photo = photos_[found->second];
        const std::string_view path = s.column_view(1);
        if (photo.path.size == 0 || path < text(photo.path)) photo.path = keep_text(path);
    });
    if (!files) return files;

    std::vector<std::pair<uint32_t, uint32_t>> tag_pairs, place_pairs, group_pairs, label_pairs, key_pairs;
    auto add_key = [&](uint32_t photo, char kind, std::string_view name) {
        auto [entry, inserted] = key_ids_.try_emplace(match_key(kind, name), static_cast<uint32_t>(key_ids_.size()));
        key_pairs.emplace_back(photo, entry->second);
    };
    auto add_tag = [&](Statement& s, bool automatic) {
        key.assign(s.column_view(0));
        const auto found = photo_of_hash_.find(key);
        if (found == photo_of_hash_.end()) return;
        const std::string_view category = automatic ? s.column_view(2) : std::string_view("user");
        add_key(found->second, 't', s.column_view(1));
        if (category == "label") add_key(found->second, 'l', s.column_view(1));
        if (category == "group") add_key(found->second, 'g', s.column_view(1));
        if (category == "place") place_pairs.emplace_back(found->second, intern(s.column_view(1)));
        else if (category == "group") group_pairs.emplace_back(found->second, intern(s.column_view(1)));
        else if (category == "label") label_pairs.emplace_back(found->second, intern(s.column_view(1)));
        else if (category != "date" && category != "camera" && category != "lens" && category != "country")
            tag_pairs.emplace_back(found->second, intern(s.column_view(1)));
    };
    if (auto ok = each_row(db, "SELECT hash, name, category FROM auto_tags", [&](Statement& s) { add_tag(s, true); }); !ok) return ok;
    if (auto ok = each_row(db, "SELECT hash, name FROM user_tags", [&](Statement& s) { add_tag(s, false); }); !ok) return ok;

    // People by name: the named persons of each photo's faces (unnamed ones have no facet value).
    std::vector<std::pair<uint32_t, uint32_t>> person_pairs;
    auto people = each_row(db, "SELECT a.hash, p.name FROM face_persons a JOIN persons p ON p.id = a.person_id WHERE p.name != ''",
                           [&](Statement& s) {
                               key.assign(s.column_view(0));
                               const auto found = photo_of_hash_.find(key);
                               if (found != photo_of_hash_.end()) person_pairs.emplace_back(found->second, intern(s.column_view(1)));
                           });
    if (!people) return people;

    to_ranges(tag_pairs, tags_, photos_.size(), [&](uint32_t photo, uint32_t begin, uint32_t end) {
        photos_[photo].tags_begin = begin;
        photos_[photo].tags_end = end;
    });
    to_ranges(place_pairs, places_, photos_.size(), [&](uint32_t photo, uint32_t begin, uint32_t end) {
        photos_[photo].places_begin = begin;
        photos_[photo].places_end = end;
    });
    to_ranges(group_pairs, groups_, photos_.size(), [&](uint32_t photo, uint32_t begin, uint32_t end) {
        photos_[photo].groups_begin = begin;
        photos_[photo].groups_end = end;
    });
    to_ranges(label_pairs, labels_, photos_.size(), [&](uint32_t photo, uint32_t begin, uint32_t end) {
        photos_[photo].labels_begin = begin;
        photos_[photo].labels_end = end;
    });
    to_ranges(person_pairs, people_, photos_.size(), [&](uint32_t photo, uint32_t begin, uint32_t end) {
        photos_[photo].people_begin = begin;
        photos_[photo].people_end = end;
    });
    to_ranges(key_pairs, keys_, photos_.size(), [&](uint32_t photo, uint32_t begin, uint32_t end) {
        photos_[photo].keys_begin = begin;
        photos_[photo].keys_end = end;
    });
    return {};
}

Expected<Facets> FacetIndex::count(Database& db, const std::vector<std::string>& hashes, int64_t per_facet) {
    if (auto ok = refresh(db); !ok) return unexpected(ok.error());
    std::vector<uint32_t> photos;
    photos.reserve(hashes.size());
    std::vector<bool> listed(photos_.size());
    for (const std::string& hash : hashes) {
        const auto found = photo_of_hash_.find(hash);
        if (found == photo_of_hash_.end() || listed[found->second]) continue;
        listed[found->second] = true;
        photos.push_back(found->second);
    }
    return count_photos(photos, per_facet);
}

Facets FacetIndex::count_photos(const std::vector<uint32_t>& photos, int64_t per_facet) const {
    std::vector<int64_t> tags(names_.size()), cameras(names_.size()), years(names_.size()), months(names_.size()),
        places(names_.size()), groups(names_.size()), labels(names_.size()), people(names_.size());
    for (const uint32_t photo : photos) {
        const Photo& p = photos_[photo];
        if (p.camera != kNone) ++cameras[p.camera];
        if (p.year != kNone) ++years[p.year];
        if (p.month != kNone) ++months[p.month];
        for (uint32_t i = p.tags_begin; i < p.tags_end; ++i) ++tags[tags_[i]];
        for (uint32_t i = p.places_begin; i < p.places_end; ++i) ++places[places_[i]];
        for (uint32_t i = p.groups_begin; i < p.groups_end; ++i) ++groups[groups_[i]];
        for (uint32_t i = p.labels_begin; i < p.labels_end; ++i) ++labels[labels_[i]];
        for (uint32_t i = p.people_begin; i < p.people_end; ++i) ++people[people_[i]];
    }
    auto largest = [&](const std::vector<int64_t>& counts) {
        std::vector<FacetCount> out;
        for (std::size_t id = 0; id < counts.size(); ++id)
            if (counts[id] > 0) out.push_back({names_[id], counts[id]});
        const auto keep = std::min<std::size_t>(out.size(), static_cast<std::size_t>(std::max<int64_t>(per_facet, 0)));
        const auto by_count = [](const FacetCount& a, const FacetCount& b) {
            return a.count != b.count ? a.count > b.count : a.value < b.value;
        };
        std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(), by_count);
        out.resize(keep);
        return out;
    };
    // Years and months: every one, newest first (a timeline needs them all, and in date order; a century
    // of months is 1 200 entries at most).
    auto by_date = [&](const std::vector<int64_t>& counts) {
        std::vector<FacetCount> out;
        for (std::size_t id = 0; id < counts.size(); ++id)
            if (counts[id] > 0) out.push_back({names_[id], counts[id]});
        std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) { return a.value > b.value; });
        return out;
    };
    return Facets{largest(tags),   largest(cameras), by_date(years), by_date(months),
                  largest(places), largest(groups),  largest(labels), largest(people)};
}

}  // namespace lbx::engine::catalog

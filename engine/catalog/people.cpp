#include "catalog/people.hpp"
#include "catalog/try.hpp"

#include "catalog/face_assignments.hpp"
#include "catalog/float_blob.hpp"
#include "catalog/person_centroid.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <algorithm>
#include <limits>
#include <set>

namespace lbx::engine::catalog {
namespace {

// Faces per grouping transaction: a few hundred keep each one well under a second (the persons are
// compared one by one), so a rename from the command thread never waits for long.
constexpr int64_t kFacesPerTransaction = 256;

Error people_error(const char* code, std::string message) { return make_error("people", code, std::move(message)); }

// A value from a client, shown in a message: cut short, so a hostile one is not echoed back whole.
std::string shown(const std::string& value) { return value.size() <= 80 ? value : value.substr(0, 80) + "..."; }

struct KnownPerson {
    int64_t id = 0;
    std::vector<float> centroid;
    std::string model;
    int64_t faces = 0;
    bool changed = false;  // its centroid is to be written at the end of the transaction
};

Expected<std::vector<KnownPerson>> load_persons(Database& db) {
    auto stmt = db.prepare(
        "SELECT p.id, p.centroid, p.embedding_model, (SELECT count(*) FROM face_persons a WHERE a.person_id = p.id) "
        "FROM persons p ORDER BY p.id");
    if (!stmt) return unexpected(stmt.error());
    std::vector<KnownPerson> persons;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) return persons;
        persons.push_back({stmt->column_int(0), floats_of(stmt->column_blob(1)), stmt->column_text(2), stmt->column_int(3)});
    }
}

// One transaction of group_new_faces: up to kFacesPerTransaction faces. Returns how many it read.
Expected<int64_t> group_some_faces(Database& db, GroupingSummary& summary) {
    auto tx = Transaction::begin(db);
    if (!tx) return unexpected(tx.error());
    // Read inside the transaction: a rename or merge committed just before is seen.
    auto persons = load_persons(db);
    if (!persons) return unexpected(persons.error());
    // INDEXED BY: the partial index holds only the faces still to group; left to itself, the planner
    // (statistics taken when most faces were still ungrouped) walks every face of the library instead.
    auto faces = db.prepare(
        "SELECT r.hash, r.source, r.idx, r.quality, r.embedding, coalesce(r.embedding_model, ''), "
        "EXISTS (SELECT 1 FROM face_persons a WHERE a.hash = r.hash AND a.source = r.source AND a.idx = r.idx) "
        "FROM regions r INDEXED BY regions_ungrouped WHERE r.kind = 'face' AND r.grouped = 0 "
        "ORDER BY r.quality DESC, r.hash, r.source, r.idx LIMIT ?1");
    if (!faces) return unexpected(faces.error());
    auto mark = db.prepare("UPDATE regions SET grouped = 1 WHERE hash = ?1 AND source = ?2 AND idx = ?3");
    if (!mark) return unexpected(mark.error());
    auto in_photo = db.prepare("SELECT person_id FROM face_persons WHERE hash = ?1 AND person_id IS NOT NULL");
    if (!in_photo) return unexpected(in_photo.error());
    auto assign = db.prepare("INSERT INTO face_persons(hash, source, idx, person_id) VALUES (?1, ?2, ?3, ?4)");
    if (!assign) return unexpected(assign.error());
    auto create = db.prepare("INSERT INTO persons(name, centroid, embedding_model, created_at) VALUES ('', ?1, ?2, ?3) RETURNING id");
    if (!create) return unexpected(create.error());

    // Read first, then written: the rows read are the ones the loop below marks.
    struct Candidate {
        std::string hash, source;
        int64_t index = 0;
        double quality = 0;
        std::vector<float> embedding;
        std::string model;
        bool placed = false;  // carried over a rewrite, or taken out by the user
    };
    std::vector<Candidate> candidates;
    faces->bind({kFacesPerTransaction});
    for (;;) {
        auto row = faces->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        candidates.push_back({faces->column_text(0), faces->column_text(1), faces->column_int(2), faces->column_double(3),
                              floats_of(faces->column_blob(4)), faces->column_text(5), faces->column_int(6) != 0});
    }

    const double limit = kSamePersonDistance * kSamePersonDistance;
    const int64_t now = now_us();
    for (const Candidate& c : candidates) {
        const std::string& hash = c.hash;
        const std::vector<float>& embedding = c.embedding;
        LBX_TRY(mark->run({hash, c.source, c.index}));
        if (c.placed || embedding.empty() || c.quality < kMinFaceQuality) continue;

        // A photo shows a person once: persons who have a face in it already are not candidates, so the
        // faces of a group photo never fold into one another.
        std::set<int64_t> present;
        in_photo->bind({hash});
        for (;;) {
            auto p = in_photo->step();
            if (!p) return unexpected(p.error());
            if (!*p) break;
            present.insert(in_photo->column_int(0));
        }
        KnownPerson* nearest = nullptr;
        double nearest_distance = limit;
        for (KnownPerson& person : *persons) {  // by id: the lowest id wins a tie
            if (person.model != c.model || present.count(person.id)) continue;
            const double d = squared_distance(person.centroid, embedding);
            if (d < nearest_distance) {
                nearest_distance = d;
                nearest = &person;
            }
        }
        if (nearest != nullptr) {
            LBX_TRY(assign->run({hash, c.source, c.index, nearest->id}));
            add_to_mean(nearest->centroid, nearest->faces++, embedding);
            nearest->changed = true;
            ++summary.joined;
        } else {
            auto created = create->bind({float_blob(embedding), c.model, now}).step();
            if (!created) return unexpected(created.error());
            const int64_t id = *created ? create->column_int(0) : 0;
            create->reset();
            LBX_TRY(assign->run({hash, c.source, c.index, id}));
            persons->push_back({id, embedding, c.model, 1});
            ++summary.new_persons;
        }
    }
    const auto read = static_cast<int64_t>(candidates.size());
    summary.looked_at += read;
    for (const KnownPerson& person : *persons)
        if (person.changed) LBX_TRY(write_centroid(db, person.id, person.centroid));
    LBX_TRY(drop_unnamed_empty_persons(db));
    LBX_TRY(tx->commit());
    return read;
}

// The cover face and photo count of `info` (id and name set), from its faces.
Expected<void> fill_person(Database& db, PersonInfo& info) {
    auto counts = db.prepare("SELECT count(*), count(DISTINCT hash) FROM face_persons WHERE person_id = ?1");
    if (!counts) return unexpected(counts.error());
    auto row = counts->bind({info.id}).step();
    if (!row) return unexpected(row.error());
    info.faces = counts->column_int(0);
    info.photos = counts->column_int(1);
    auto cover = db.prepare(
        "SELECT a.hash, r.x, r.y, r.w, r.h, coalesce(p.rotation, 0) FROM face_persons a JOIN regions r ON r.hash = a.hash "
        "AND r.source = a.source AND r.idx = a.idx LEFT JOIN photos p ON p.hash = a.hash WHERE a.person_id = ?1 ORDER BY r.quality DESC, a.hash, a.source, a.idx LIMIT 1");
    if (!cover) return unexpected(cover.error());
    auto found = cover->bind({info.id}).step();
    if (!found) return unexpected(found.error());
    if (*found) {
        info.cover_hash = cover->column_text(0);
        info.cover_x = cover->column_double(1);
        info.cover_y = cover->column_double(2);
        info.cover_width = cover->column_double(3);
        info.cover_height = cover->column_double(4);
        info.cover_rotation = static_cast<uint32_t>(cover->column_int(5));
    }
    return {};
}

Expected<std::optional<PersonInfo>> person_by_id(Database& db, int64_t person_id) {
    auto stmt = db.prepare("SELECT name FROM persons WHERE id = ?1");
    if (!stmt) return unexpected(stmt.error());
    auto row = stmt->bind({person_id}).step();
    if (!row) return unexpected(row.error());
    if (!*row) return std::optional<PersonInfo>{};
    PersonInfo info;
    info.id = person_id;
    info.name = stmt->column_text(0);
    stmt->reset();
    LBX_TRY(fill_person(db, info));
    return std::optional<PersonInfo>{std::move(info)};
}

Expected<PersonInfo> existing_person(Database& db, int64_t person_id) {
    auto person = person_by_id(db, person_id);
    if (!person) return unexpected(person.error());
    if (!*person) return unexpected(people_error(ipc::codes::kNoSuchPerson, "no person " + std::to_string(person_id) + " in the library"));
    return std::move(**person);
}

}  // namespace

Expected<GroupingSummary> group_new_faces(Catalog& catalog) {
    LBX_TRY(catalog.flush());
    GroupingSummary summary;
    for (;;) {
        auto read = group_some_faces(catalog.database(), summary);
        if (!read) return unexpected(read.error());
        if (*read < kFacesPerTransaction) return summary;
    }
}

Expected<std::vector<PersonInfo>> list_persons(Catalog& catalog, int64_t offset, int64_t limit) {
    LBX_TRY(catalog.flush());
    Database& db = catalog.database();
    auto stmt = db.prepare(
        "SELECT p.id, p.name, count(*) AS faces FROM face_persons a JOIN persons p ON p.id = a.person_id "
        "GROUP BY p.id ORDER BY faces DESC, p.id LIMIT ?1 OFFSET ?2");
    if (!stmt) return unexpected(stmt.error());
    stmt->bind({limit < 0 ? std::numeric_limits<int64_t>::max() : limit, std::max<int64_t>(offset, 0)});
    std::vector<PersonInfo> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        PersonInfo info;
        info.id = stmt->column_int(0);
        info.name = stmt->column_text(1);
        out.push_back(std::move(info));
    }
    for (PersonInfo& info : out) LBX_TRY(fill_person(db, info));
    return out;
}

Expected<int64_t> person_count(Catalog& catalog) {
    LBX_TRY(catalog.flush());
    return catalog.database().query_int("SELECT count(DISTINCT person_id) FROM face_persons WHERE person_id IS NOT NULL");
}

Expected<std::optional<PersonInfo>> find_person(Catalog& catalog, int64_t person_id) {
    LBX_TRY(catalog.flush());
    return person_by_id(catalog.database(), person_id);
}

std::optional<std::string> clean_person_name(const std::string& raw) {
    const auto first = raw.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return std::string();
    const auto last = raw.find_last_not_of(" \t\r\n");
    std::string name = raw.substr(first, last - first + 1);
    std::size_t characters = 0;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) return std::nullopt;
        if ((byte & 0xc0) != 0x80) ++characters;  // not a UTF-8 continuation byte
    }
    if (characters > kMaxPersonName) return std::nullopt;
    return name;
}

Expected<PersonInfo> rename_person(Catalog& catalog, int64_t person_id, const std::string& name) {
    const std::optional<std::string> clean = clean_person_name(name);
    if (!clean) {
        return unexpected(people_error(ipc::codes::kBadName, "a person's name is 1 to " + std::to_string(kMaxPersonName) +
                                                                 " characters without control characters (empty to unname)"));
    }
    LBX_TRY(catalog.flush());
    Database& db = catalog.database();
    auto tx = Transaction::begin(db);
    if (!tx) return unexpected(tx.error());
    auto stmt = db.prepare("UPDATE persons SET name = ?2 WHERE id = ?1");
    if (!stmt) return unexpected(stmt.error());
    LBX_TRY(stmt->run({person_id, *clean}));
    if (db.changes() == 0) return unexpected(people_error(ipc::codes::kNoSuchPerson, "no person " + std::to_string(person_id) + " in the library"));
    auto person = existing_person(db, person_id);
    if (!person) return unexpected(person.error());
    LBX_TRY(tx->commit());
    return person;
}

Expected<PersonInfo> merge_persons(Catalog& catalog, int64_t from, int64_t into) {
    if (from == into) return unexpected(people_error(ipc::codes::kSamePerson, "cannot merge person " + std::to_string(from) + " into itself"));
    LBX_TRY(catalog.flush());
    Database& db = catalog.database();
    auto tx = Transaction::begin(db);
    if (!tx) return unexpected(tx.error());
    auto source = existing_person(db, from);
    if (!source) return unexpected(source.error());
    auto target = existing_person(db, into);
    if (!target) return unexpected(target.error());
    auto from_centroid = read_centroid(db, from);
    if (!from_centroid) return unexpected(from_centroid.error());
    auto into_centroid = read_centroid(db, into);
    if (!into_centroid) return unexpected(into_centroid.error());
    const StoredCentroid& a = **from_centroid;
    StoredCentroid b = **into_centroid;
    if (a.embedding_model != b.embedding_model || a.mean.size() != b.mean.size()) {
        return unexpected(people_error(ipc::codes::kOtherModel, "persons " + std::to_string(from) + " and " + std::to_string(into) +
                                                                    " come from different face models (" + a.embedding_model + ", " +
                                                                    b.embedding_model + ") and cannot be merged"));
    }
    // The mean of all their faces; two persons without faces average their centroids.
    const double wa = a.faces + b.faces > 0 ? double(a.faces) : 1.0, wb = a.faces + b.faces > 0 ? double(b.faces) : 1.0;
    for (std::size_t i = 0; i < b.mean.size(); ++i) b.mean[i] = static_cast<float>((a.mean[i] * wa + b.mean[i] * wb) / (wa + wb));
    auto move = db.prepare("UPDATE face_persons SET person_id = ?2 WHERE person_id = ?1");
    if (!move) return unexpected(move.error());
    LBX_TRY(move->run({from, into}));
    LBX_TRY(write_centroid(db, into, b.mean));
    if (target->name.empty() && !source->name.empty()) {
        auto name = db.prepare("UPDATE persons SET name = ?2 WHERE id = ?1");
        if (!name) return unexpected(name.error());
        LBX_TRY(name->run({into, source->name}));
    }
    auto drop = db.prepare("DELETE FROM persons WHERE id = ?1");
    if (!drop) return unexpected(drop.error());
    LBX_TRY(drop->run({from}));
    auto merged = existing_person(db, into);
    if (!merged) return unexpected(merged.error());
    LBX_TRY(tx->commit());
    return merged;
}

Expected<PersonInfo> remove_face(Catalog& catalog, const std::string& hash, const std::string& source, int64_t index) {
    LBX_TRY(catalog.flush());
    Database& db = catalog.database();
    auto tx = Transaction::begin(db);
    if (!tx) return unexpected(tx.error());
    const std::string face = "face " + std::to_string(index) + " of '" + shown(source) + "' in photo '" + shown(hash) + "'";
    auto region = db.prepare("SELECT kind, embedding FROM regions WHERE hash = ?1 AND source = ?2 AND idx = ?3");
    if (!region) return unexpected(region.error());
    auto found = region->bind({hash, source, index}).step();
    if (!found) return unexpected(found.error());
    if (!*found || region->column_text(0) != LBX_REGION_FACE)
        return unexpected(people_error(ipc::codes::kNoSuchFace, "no " + face + " in the library"));
    const std::vector<float> embedding = floats_of(region->column_blob(1));
    region->reset();
    auto assigned = db.prepare("SELECT person_id FROM face_persons WHERE hash = ?1 AND source = ?2 AND idx = ?3");
    if (!assigned) return unexpected(assigned.error());
    auto row = assigned->bind({hash, source, index}).step();
    if (!row) return unexpected(row.error());
    if (!*row || assigned->column_is_null(0)) return unexpected(people_error(ipc::codes::kNoPerson, face + " belongs to no person"));
    const int64_t person_id = assigned->column_int(0);
    assigned->reset();
    auto reject = db.prepare("UPDATE face_persons SET person_id = NULL WHERE hash = ?1 AND source = ?2 AND idx = ?3");
    if (!reject) return unexpected(reject.error());
    LBX_TRY(reject->run({hash, source, index}));
    CentroidChange change;
    change.left.push_back(embedding);
    LBX_TRY(apply_centroid_change(db, person_id, change));
    auto after = existing_person(db, person_id);
    if (!after) return unexpected(after.error());
    if (after->faces == 0) {  // the protocol's rule: a person left without faces goes, named or not
        auto drop = db.prepare("DELETE FROM persons WHERE id = ?1");
        if (!drop) return unexpected(drop.error());
        LBX_TRY(drop->run({person_id}));
    }
    LBX_TRY(tx->commit());
    return after;
}

Expected<std::vector<FacePerson>> persons_of_photo(Catalog& catalog, const std::string& hash) {
    LBX_TRY(catalog.flush());
    auto cached = catalog.database().cached(
        "SELECT a.source, a.idx, a.person_id, p.name FROM face_persons a JOIN persons p ON p.id = a.person_id WHERE a.hash = ?1 "
        "ORDER BY a.source, a.idx");
    if (!cached) return unexpected(cached.error());
    Statement& stmt = **cached;
    stmt.bind({hash});
    std::vector<FacePerson> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) return unexpected(row.error());
        if (!*row) return out;
        out.push_back({stmt.column_text(0), stmt.column_int(1), stmt.column_int(2), stmt.column_text(3)});
    }
}

}  // namespace lbx::engine::catalog

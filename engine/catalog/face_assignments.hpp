// What becomes of a photo's face assignments (face_persons: a face's person, or the user's "not this
// person") when the catalog rewrites or removes the photo's regions. Catalog::write replaces a photo's
// regions of a plugin each time that plugin analyses it (a new plugin version, the file moved): the
// region indexes then name new rows, which may be other faces. So an assignment follows its face by box:
// it moves to the new face of the same plugin whose box overlaps the old one most (intersection over
// union at least kSameFaceOverlap), taking the new embedding into its person's centroid; without such a
// face, the face leaves its person. Names, merges and removals made by the user thus survive re-analysis,
// and nothing is grouped twice. Everything runs inside the caller's transaction.
#pragma once

#include "catalog/database.hpp"
#include "plugins/stage_io.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine::catalog {

// Two boxes of one photo are the same face when their intersection over union is at least this: a face
// found again by a newer model moves by a few pixels (IoU above 0.8); two faces side by side overlap
// far less than half.
inline constexpr double kSameFaceOverlap = 0.5;

// Intersection over union of two boxes (fractions of the upright image).
double box_overlap(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh);

class FaceCarryOver {
public:
    // Prepared once per catalog connection (Catalog::write runs for every photo of a scan).
    static Expected<std::unique_ptr<FaceCarryOver>> prepare(Database& db);

    // Before the regions of `source` of photo `hash` are deleted: keeps their assignments (with each
    // face's box and embedding) and deletes their rows. Cheap when there are none (one indexed lookup).
    Expected<void> hold(const std::string& hash, const std::string& source);
    // Forgets what is held: a transaction that rolled back is written again from its start.
    void forget() {
        held_.clear();
        held_hash_.clear();
    }
    // After the photo's new regions are written (`regions` in the order written: their index counts
    // per source, as Catalog::write numbers them): each held assignment goes to its face, or its face
    // leaves its person. Forgets what was held.
    Expected<void> carry(const std::string& hash, const std::vector<Region>& regions);

    struct Held {
        std::string source;
        std::optional<int64_t> person_id;  // nullopt: the user took this face out of its person
        double x = 0, y = 0, w = 0, h = 0;
        std::vector<float> embedding;
        std::string embedding_model;
    };
    FaceCarryOver(Database& db, Statement select, Statement clear, Statement insert)
        : db_(db), select_(std::move(select)), clear_(std::move(clear)), insert_(std::move(insert)) {}

private:
    Database& db_;
    Statement select_, clear_, insert_;
    std::string held_hash_;  // the photo held_ belongs to
    std::vector<Held> held_;
};

// A photo leaves the library (Catalog::remove_photos): its faces leave their persons (centroids follow)
// and their rows, removals included, are deleted. Persons left without faces are dealt with by the
// caller (drop_unnamed_empty_persons).
Expected<void> forget_photo_faces(Database& db, const std::string& hash);

// Deletes the persons without faces and without a name. Named ones are kept (see catalog_schema.cpp,
// version 6): their faces may come back.
Expected<void> drop_unnamed_empty_persons(Database& db);

}  // namespace lbx::engine::catalog

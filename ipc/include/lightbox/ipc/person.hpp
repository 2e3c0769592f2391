// A person: faces grouped by their identity embeddings (protocol 5). The engine groups new faces as
// they are analysed; the user names, merges and corrects (RenamePerson, MergePersons, RemoveFace).
#pragma once

#include <cereal/types/string.hpp>

#include <cstdint>
#include <string>

namespace lbx::ipc {

struct Person {
    uint64_t id = 0;
    std::string name;     // empty while unnamed
    uint64_t faces = 0;   // faces assigned to the person
    uint64_t photos = 0;  // photos with at least one of those faces (a photo whose files are all missing counts)
    // The face shown for the person: a photo and the face's box in fractions of that upright photo.
    std::string cover_photo_id;
    double cover_x = 0, cover_y = 0, cover_width = 0, cover_height = 0;
    uint32_t cover_rotation = 0;  // protocol 9: the user's rotation of the cover photo (PhotoInfo::rotation)

    template <class Archive>
    void serialize(Archive& ar) { ar(id, name, faces, photos, cover_photo_id, cover_x, cover_y, cover_width, cover_height, cover_rotation); }
    friend bool operator==(const Person&, const Person&) = default;
};

}  // namespace lbx::ipc

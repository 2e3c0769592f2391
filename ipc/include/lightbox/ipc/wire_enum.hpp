// Serializes an enum as its underlying integer and rejects out-of-range values on load, so a frame cannot
// smuggle an enum value no switch expects. Used by every message's `serialize` instead of cereal's
// built-in enum support (which accepts any value).
#pragma once

#include <cereal/details/helpers.hpp>

#include <string>
#include <type_traits>

namespace lbx::ipc::detail {

// `count` is the number of enumerators; valid values are 0 .. count-1.
template <std::size_t count, class Archive, class Enum>
void wire_enum(Archive& ar, Enum& value) {
    static_assert(std::is_enum_v<Enum>);
    using Raw = std::underlying_type_t<Enum>;
    Raw raw = static_cast<Raw>(value);
    ar(raw);
    if constexpr (Archive::is_loading::value) {
        if (static_cast<std::size_t>(raw) >= count) {
            throw cereal::Exception("enum value " + std::to_string(static_cast<unsigned long long>(raw)) +
                                    " out of range 0.." + std::to_string(count - 1));
        }
        value = static_cast<Enum>(raw);
    }
}

}  // namespace lbx::ipc::detail

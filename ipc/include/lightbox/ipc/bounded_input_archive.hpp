// A cereal input archive that reads PortableBinaryOutputArchive's little-endian format from a byte span
// and refuses, before allocating, any string or list length larger than the bytes left in the frame.
// cereal's own PortableBinaryInputArchive resizes first and reads after, so a hostile 20-byte frame
// could make it allocate gigabytes. Bools must be 0 or 1 (any other byte is malformed, not UB).
#pragma once

#include <cereal/cereal.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>

namespace lbx::ipc::detail {

// The frame ended before a field did.
struct TruncatedFrame : cereal::Exception {
    using cereal::Exception::Exception;
};

class BoundedInputArchive : public cereal::InputArchive<BoundedInputArchive, cereal::AllowEmptyClassElision> {
public:
    // Reads cereal's endianness flag; only little-endian frames (flag 1) are accepted.
    explicit BoundedInputArchive(std::span<const uint8_t> bytes)
        : cereal::InputArchive<BoundedInputArchive, cereal::AllowEmptyClassElision>(this), bytes_(bytes) {
        uint8_t little = 0;
        loadBinary<1>(&little, 1);
        if (little != 1) throw cereal::Exception("endianness flag is " + std::to_string(little) + ", expected 1");
    }

    template <std::size_t DataSize>
    void loadBinary(void* data, std::size_t size) {
        if (size == 0) return;  // an empty vector's data() may be null, and memcpy must not see it
        if (size > remaining()) {
            throw TruncatedFrame("needed " + std::to_string(size) + " bytes at offset " + std::to_string(pos_) +
                                 ", frame has " + std::to_string(bytes_.size()));
        }
        std::memcpy(data, bytes_.data() + pos_, size);
        pos_ += size;
        if constexpr (std::endian::native == std::endian::big && DataSize > 1) {
            auto* p = static_cast<uint8_t*>(data);
            for (std::size_t i = 0; i < size; i += DataSize) {
                for (std::size_t j = 0; j < DataSize / 2; ++j) std::swap(p[i + j], p[i + DataSize - 1 - j]);
            }
        }
    }

    std::size_t remaining() const { return bytes_.size() - pos_; }
    std::size_t position() const { return pos_; }

private:
    std::span<const uint8_t> bytes_;
    std::size_t pos_ = 0;
};

template <class T>
std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>>
CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, T& t) {
    static_assert(!std::is_floating_point_v<T> || std::numeric_limits<T>::is_iec559);
    ar.template loadBinary<sizeof(T)>(&t, sizeof(T));
}

inline void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, bool& b) {
    uint8_t raw = 0;
    ar.template loadBinary<1>(&raw, 1);
    if (raw > 1) throw cereal::Exception("bool byte is " + std::to_string(raw) + " at offset " +
                                         std::to_string(ar.position() - 1));
    b = raw == 1;
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, cereal::NameValuePair<T>& nvp) {
    ar(nvp.value);
}

// Every element of every list we send takes at least one byte, so a length above the bytes left is a lie.
template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, cereal::SizeTag<T>& tag) {
    ar(tag.size);
    if (static_cast<uint64_t>(tag.size) > ar.remaining()) {
        throw cereal::Exception("length " + std::to_string(static_cast<uint64_t>(tag.size)) + " at offset " +
                                std::to_string(ar.position() - sizeof(tag.size)) + " exceeds the " +
                                std::to_string(ar.remaining()) + " bytes left");
    }
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedInputArchive& ar, cereal::BinaryData<T>& bd) {
    using Element = std::remove_pointer_t<T>;
    ar.template loadBinary<sizeof(Element)>(bd.data, static_cast<std::size_t>(bd.size));
}

}  // namespace lbx::ipc::detail

CEREAL_REGISTER_ARCHIVE(lbx::ipc::detail::BoundedInputArchive)

// Expected<T>: a value or an Error (LLVM's Expected, C++23's std::expected, which GCC 12 lacks).
#pragma once

#include "core/error.hpp"

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

namespace lbx::engine {

struct Unexpected {
    Error error;
};
inline Unexpected unexpected(Error error) { return Unexpected{std::move(error)}; }

template <typename T>
class [[nodiscard]] Expected {
public:
    Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Expected(Unexpected u) : state_(std::in_place_index<1>, std::move(u.error)) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(state_); }
    const T& value() const& { assert(has_value()); return std::get<0>(state_); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { assert(!has_value()); return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Expected<void> {
public:
    Expected() = default;
    Expected(Unexpected u) : error_(std::move(u.error)) {}

    bool has_value() const { return !error_.has_value(); }
    explicit operator bool() const { return has_value(); }
    const Error& error() const { assert(error_); return *error_; }

private:
    std::optional<Error> error_;
};

}  // namespace lbx::engine

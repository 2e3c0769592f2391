// Expected<T, E>: a value or an error (C++23's std::expected, which GCC 12 lacks). It lives in the shared
// module so that clients (the shell, lightbox-ctl) and the engine use one type without the clients
// depending on the engine's core library; the engine aliases it with its own error type.
#pragma once

#include "lightbox/ipc/error.hpp"

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

namespace lbx::ipc {

template <class E>
struct Unexpected {
    E error;
};
template <class E>
Unexpected<E> unexpected(E error) { return Unexpected<E>{std::move(error)}; }

template <class T, class E = Error>
class [[nodiscard]] Expected {
public:
    Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Expected(Unexpected<E> u) : state_(std::in_place_index<1>, std::move(u.error)) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(state_); }
    const T& value() const& { assert(has_value()); return std::get<0>(state_); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const E& error() const { assert(!has_value()); return std::get<1>(state_); }

private:
    std::variant<T, E> state_;
};

// Success without a value, or an error.
template <class E>
class [[nodiscard]] Expected<void, E> {
public:
    Expected() = default;
    Expected(Unexpected<E> u) : error_(std::move(u.error)) {}

    bool has_value() const { return !error_.has_value(); }
    explicit operator bool() const { return has_value(); }
    const E& error() const { assert(error_); return *error_; }

private:
    std::optional<E> error_;
};

}  // namespace lbx::ipc

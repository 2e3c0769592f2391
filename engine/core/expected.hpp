// The engine's Expected<T>: a value or an engine Error. The type itself is the shared module's
// (ipc/include/lightbox/ipc/expected.hpp), so engine, service and clients have one implementation.
#pragma once

#include "core/error.hpp"

#include <lightbox/ipc/expected.hpp>

namespace lbx::engine {

template <typename T>
using Expected = ipc::Expected<T, Error>;
using Unexpected = ipc::Unexpected<Error>;
inline Unexpected unexpected(Error error) { return Unexpected{std::move(error)}; }

}  // namespace lbx::engine

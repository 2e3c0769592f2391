// LBX_TRY(expr): returns the error of an Expected from the enclosing function, else goes on. For the
// catalog's multi-statement writes, where each step's failure ends the whole (its transaction rolls back).
#pragma once

#include "core/expected.hpp"

#define LBX_TRY(expr)                                                            \
    do {                                                                         \
        if (auto lbx_ok_ = (expr); !lbx_ok_) return unexpected(lbx_ok_.error()); \
    } while (0)

// The matches of the last query a catalog connection ran, in the order asked: the next page of the same
// query slices it instead of running the query again. A shell scrolling 100 000 photos asks for 200 pages
// of one query; each would otherwise pay for matching, grouping and sorting all of them (~150 ms), and
// the total for its scroll bar as much again.
#pragma once

#include "catalog/database.hpp"

#include <string>
#include <vector>

namespace lbx::engine::catalog {

enum class SortOrder { taken, path, added };

struct MatchList {
    struct Match {
        std::string hash;  // empty for a failed file that has no photo
        std::string path;  // the first of its matching files
        std::string status;
    };
    std::string query;
    SortOrder sort = SortOrder::taken;
    bool descending = false;
    ChangeStamp stamp;  // the catalog as it was when matched; default: nothing cached
    std::vector<Match> matches;
};

}  // namespace lbx::engine::catalog

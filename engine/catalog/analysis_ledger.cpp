#include "catalog/analysis_ledger.hpp"

namespace lbx::engine::catalog {
namespace {

bool below_root(const std::string& path, const std::vector<std::string>& roots) {
    for (std::string root : roots) {
        if (path == root) return true;
        if (!root.empty() && root.back() != '/') root += '/';
        if (path.compare(0, root.size(), root) == 0) return true;
    }
    return false;
}

}  // namespace

Expected<std::vector<PendingPhoto>> pending_analysis(Catalog& catalog, const std::vector<AnalysisMark>& stages,
                                                     const std::vector<std::string>& roots) {
    std::vector<PendingPhoto> out;
    if (stages.empty()) return out;
    if (auto flushed = catalog.flush(); !flushed) return unexpected(flushed.error());
    // One NOT EXISTS per stage, on the ledger's primary key (hash, stage): a photo is due when any
    // stage lacks a mark at its plugin's current version.
    std::string sql =
        "SELECT p.hash, (SELECT f.path FROM files f WHERE f.hash = p.hash AND f.status = 'ok' ORDER BY f.path LIMIT 1) "
        "FROM photos p WHERE EXISTS (SELECT 1 FROM files f WHERE f.hash = p.hash AND f.status = 'ok') AND (";
    std::vector<SqlValue> values;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const std::string n = std::to_string(values.size() + 1);
        sql += (i ? " OR " : "") + std::string("NOT EXISTS (SELECT 1 FROM analyses a WHERE a.hash = p.hash AND a.stage = ?") + n +
               " AND a.plugin = ?" + std::to_string(values.size() + 2) + " AND a.plugin_version = ?" +
               std::to_string(values.size() + 3) + ")";
        values.push_back(stages[i].stage_id);
        values.push_back(stages[i].plugin);
        values.push_back(stages[i].plugin_version);
    }
    sql += ") ORDER BY p.added_at, p.hash";
    auto stmt = catalog.database().prepare(sql);
    if (!stmt) return unexpected(stmt.error());
    stmt->bind(values);
    while (true) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        PendingPhoto photo{stmt->column_text(0), stmt->column_text(1)};
        if (roots.empty() || below_root(photo.path, roots)) out.push_back(std::move(photo));
    }
    return out;
}

std::optional<PhotoResult> analysis_result(PhotoResult r, const std::string& expected_hash,
                                           const std::vector<AnalysisMark>& stages) {
    if (r.unchanged || r.skipped || r.interrupted) return std::nullopt;
    if (r.ok()) {
        if (r.hash != expected_hash) return std::nullopt;
        r.analysis_only = true;
        return r;
    }
    const StageFailure& f = *r.failure;
    if (f.plugin == "engine" || f.plugin.empty()) return std::nullopt;  // read, sniff: the file, not a stage
    r.analysis_only = true;
    r.hash = expected_hash;
    r.analysed = stages;
    for (AnalysisMark& mark : r.analysed) mark.error = f.code + ": " + f.message + " (" + f.stage_id + ")";
    return r;
}

}  // namespace lbx::engine::catalog

#include <lightbox/cli/record_output.hpp>

#include <lightbox/cli/conventions.hpp>

#include <algorithm>

namespace lbx::cli {

using nlohmann::json;

namespace {

// Text that is not valid UTF-8 (an EXIF string) gets U+FFFD for its bad bytes instead of making dump() throw.
std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool is_record_field(std::string_view name) {
    const auto& fields = record_fields();
    return std::any_of(fields.begin(), fields.end(), [&](const RecordFieldInfo& f) { return f.name == name; });
}

bool contains(const std::vector<std::string_view>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// The fields inside a fixed-shape object field; empty for the others.
const std::vector<std::string_view>* subfields_of(std::string_view field) {
    if (field == "exif") return &exif_field_names();
    if (field == "error") return &failure_field_names();
    return nullptr;
}

std::string joined(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::string_view n : names) (out += out.empty() ? "" : ", ") += n;
    return out;
}

std::string valid_fields_text() {
    std::string out = "fields: ";
    bool first = true;
    for (const RecordFieldInfo& f : record_fields()) {
        if (!first) out += ", ";
        out += f.name;
        first = false;
    }
    out += "; all for every field, metadata included";
    out += "; exif.NAME or NAME for " + joined(exif_field_names());
    out += "; error.NAME for " + joined(failure_field_names());
    return out;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The canonical name of one --fields entry, or empty when it names nothing.
std::string canonical(const std::string& name) {
    if (is_record_field(name)) return name;
    if (const auto dot = name.find('.'); dot != std::string::npos) {
        const std::string parent = name.substr(0, dot);
        const auto* sub = subfields_of(parent);
        return sub && contains(*sub, std::string_view(name).substr(dot + 1)) ? name : std::string();
    }
    return contains(exif_field_names(), name) ? "exif." + name : std::string();
}

// The value of a column ("path", "exif.gps_lat") in a record, or nullptr when the record lacks it.
const json* value_at(const json& record, const std::string& column) {
    const auto dot = column.find('.');
    const std::string top = column.substr(0, dot);
    const auto it = record.find(top);
    if (it == record.end()) return nullptr;
    if (dot == std::string::npos) return &*it;
    if (!it->is_object()) return nullptr;
    const auto inner = it->find(column.substr(dot + 1));
    return inner == it->end() ? nullptr : &*inner;
}

std::string cell_text(const json* value) {
    if (!value || value->is_null()) return {};
    if (value->is_string()) return value->get<std::string>();  // the bytes as they are (PathText::raw)
    return dump(*value);  // numbers as JSON writes them, true/false, arrays and objects as compact JSON
}

}  // namespace

bool FieldSelection::wants_any(std::initializer_list<std::string_view> top_level) const {
    if (all()) return true;
    for (const std::string& name : names) {
        const std::string_view top = std::string_view(name).substr(0, name.find('.'));
        if (std::find(top_level.begin(), top_level.end(), top) != top_level.end()) return true;
    }
    return false;
}

std::optional<FieldSelection> parse_fields(const std::string& list, std::string& error) {
    FieldSelection selection;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = list.find(',', start);
        const std::string name =
            trimmed(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (name.empty()) {
            error = "'" + list + "' has an empty field name (" + valid_fields_text() + ")";
            return std::nullopt;
        }
        if (name == "all") {  // every record field, those written only when named included
            for (const RecordFieldInfo& f : record_fields())
                if (std::find(selection.names.begin(), selection.names.end(), f.name) == selection.names.end())
                    selection.names.emplace_back(f.name);
            if (comma == std::string::npos) break;
            start = comma + 1;
            continue;
        }
        const std::string field = canonical(name);
        if (field.empty()) {
            error = "unknown field '" + name + "' (" + valid_fields_text() + ")";
            return std::nullopt;
        }
        if (std::find(selection.names.begin(), selection.names.end(), field) == selection.names.end())
            selection.names.push_back(field);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return selection;
}

std::optional<OutputFormat> parse_format(const std::string& word) {
    if (word == "jsonl") return OutputFormat::jsonl;
    if (word == "json") return OutputFormat::json;
    if (word == "csv") return OutputFormat::csv;
    if (word == "tsv") return OutputFormat::tsv;
    return std::nullopt;
}

json select_fields(const json& record, const FieldSelection& fields) {
    if (fields.all()) return record;
    json out = json::object();
    for (const std::string& name : fields.names) {
        const auto dot = name.find('.');
        if (dot == std::string::npos) {
            if (const auto it = record.find(name); it != record.end()) out[name] = *it;
            if (name == "path")
                if (const auto b64 = record.find("path_b64"); b64 != record.end()) out["path_b64"] = *b64;
            continue;
        }
        if (const json* value = value_at(record, name)) out[name.substr(0, dot)][name.substr(dot + 1)] = *value;
    }
    return out;
}

std::vector<std::string> columns_of(const FieldSelection& fields) {
    std::vector<std::string> names = fields.names;
    if (fields.all())
        for (const RecordFieldInfo& f : record_fields())
            if (written_by_default(f.name)) names.emplace_back(f.name);
    std::vector<std::string> columns;
    for (const std::string& name : names) {
        if (const auto* sub = subfields_of(name)) {
            for (std::string_view s : *sub) columns.push_back(name + "." + std::string(s));
        } else {
            columns.push_back(name);
        }
    }
    return columns;
}

json facets_json(const std::vector<FacetGroup>& groups) {
    json out = json::object();
    for (const FacetGroup& g : groups) {
        json counts = json::array();
        for (const auto& [value, count] : g.counts) counts.push_back({{"value", value}, {"count", count}});
        out[g.name] = std::move(counts);
    }
    return out;
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string tsv_field(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\\':
                out += "\\\\";
                break;
            default:
                out += c;
        }
    }
    return out;
}

RecordWriter::RecordWriter(std::FILE* out, OutputFormat format, FieldSelection fields)
    : out_(out), format_(format), fields_(std::move(fields)) {
    if (format_ == OutputFormat::csv || format_ == OutputFormat::tsv) columns_ = columns_of(fields_);
}

void RecordWriter::start() {
    if (started_) return;
    started_ = true;
    if (format_ == OutputFormat::json) {
        std::fputs("{\"photos\":[", out_);
    } else if (format_ == OutputFormat::csv || format_ == OutputFormat::tsv) {
        std::string header;
        for (const std::string& c : columns_) {
            if (!header.empty()) header += format_ == OutputFormat::csv ? "," : "\t";
            header += format_ == OutputFormat::csv ? csv_field(c) : tsv_field(c);
        }
        header += format_ == OutputFormat::csv ? "\r\n" : "\n";
        std::fputs(header.c_str(), out_);
    }
}

void RecordWriter::write_row(const json& record) {
    std::string row;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (i) row += format_ == OutputFormat::csv ? "," : "\t";
        const std::string text = cell_text(value_at(record, columns_[i]));
        row += format_ == OutputFormat::csv ? csv_field(text) : tsv_field(text);
    }
    row += format_ == OutputFormat::csv ? "\r\n" : "\n";
    std::fwrite(row.data(), 1, row.size(), out_);
}

void RecordWriter::write(const PhotoRecord& record) {
    const bool tabular = format_ == OutputFormat::csv || format_ == OutputFormat::tsv;
    const json selected = select_fields(record_json(record, tabular ? PathText::raw : PathText::json), fields_);
    start();
    switch (format_) {
        case OutputFormat::jsonl:
            std::fputs((dump(selected) + "\n").c_str(), out_);
            break;
        case OutputFormat::json:
            std::fputs(((count_ ? ",\n" : "\n") + dump(selected)).c_str(), out_);
            break;
        case OutputFormat::csv:
        case OutputFormat::tsv:
            write_row(selected);
            break;
    }
    ++count_;
    std::fflush(out_);
}

void RecordWriter::finish(const DocumentTail& tail) {
    start();
    if (format_ == OutputFormat::json) {
        json end{{"count", count_}, {"total", tail.total.value_or(count_)}, {"offset", tail.offset}};
        if (tail.facets) end["facets"] = *tail.facets;
        // The rest of the document after "photos": the object's members without its braces.
        const std::string members = dump(end);
        std::fputs(("\n]," + members.substr(1, members.size() - 2) + "}\n").c_str(), out_);
    }
    std::fflush(out_);
}

void add_record_options(CLI::App* command, RecordOutputOptions& options) {
    command
        ->add_option("--format", options.format,
                     "records as jsonl (one per line, what --json prints), json (one document with the total), csv or "
                     "tsv (a header row) (sdk_docs/run-json.md)")
        ->check(one_of({"jsonl", "json", "csv", "tsv"}));
    command
        ->add_option(
            "--fields", options.fields,
            "only these record fields, comma-separated: path,hash,exif.gps_lat,... (a bare exif name is exif.NAME); "
            "alone it means --format jsonl")
        ->check(CLI::Validator(
            [](std::string& text) -> std::string {
                std::string error;
                return parse_fields(text, error) ? std::string() : error;
            },
            "FIELD,...", "fields"));
}

std::optional<ResolvedOutput> resolve_output(const RecordOutputOptions& options, bool json_alias, std::string& error) {
    ResolvedOutput resolved;
    if (!options.format.empty()) {
        resolved.format = parse_format(options.format);
        if (!resolved.format) {
            error = "--format: '" + options.format + "' is not one of: jsonl, json, csv, tsv";
            return std::nullopt;
        }
        if (json_alias && *resolved.format != OutputFormat::jsonl) {
            error = "--json is --format jsonl: it does not go with --format " + options.format;
            return std::nullopt;
        }
    } else if (json_alias || !options.fields.empty()) {
        resolved.format = OutputFormat::jsonl;
    }
    if (!options.fields.empty()) {
        auto fields = parse_fields(options.fields, error);
        if (!fields) {
            error = "--fields: " + error;
            return std::nullopt;
        }
        resolved.fields = std::move(*fields);
    }
    return resolved;
}

}  // namespace lbx::cli

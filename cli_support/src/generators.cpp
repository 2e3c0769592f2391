#include "lightbox/cli/generators.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string_view>
#include <vector>

namespace lbx::cli {

namespace {

// What the generators need of the CLI11 tree, read once.
struct OptionModel {
    std::vector<std::string> names;  // short names first: "-j", "--jobs"
    std::string value_name;          // "UINT", "TEXT"; empty: a flag
    std::string description;
    std::vector<std::string> choices;  // the words of a one_of() or IsMember check
};

struct ArgumentModel {
    std::string name;
    std::string description;
    bool repeated = false;
    bool required = false;
    std::vector<std::string> choices;
};

struct CommandModel {
    std::vector<std::string> path;  // {"plugins", "inspect"}; empty: the program itself
    std::string description;
    std::string footer;
    std::vector<OptionModel> options;
    std::vector<ArgumentModel> arguments;
    std::vector<CommandModel> commands;
};

std::string trim(std::string s) {
    const auto first = s.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// "TEXT:{taken,path,added}" -> taken, path, added (CLI11 appends each check's description to the type).
std::vector<std::string> choices_of(const CLI::Option& option) {
    const std::string type = option.get_type_name();
    const auto open = type.find('{');
    const auto close = type.find('}', open);
    std::vector<std::string> words;
    if (open == std::string::npos || close == std::string::npos) return words;
    std::stringstream list(type.substr(open + 1, close - open - 1));
    for (std::string word; std::getline(list, word, ',');)
        if (!trim(word).empty()) words.push_back(trim(word));
    return words;
}

std::string value_name_of(const CLI::Option& option) {
    std::string type = option.get_type_name();
    type = type.substr(0, type.find_first_of(": "));
    return type.empty() ? "VALUE" : type;
}

CommandModel model_of(const CLI::App& app, std::vector<std::string> path) {
    CommandModel command;
    command.path = std::move(path);
    command.description = app.get_description();
    command.footer = app.get_footer();
    for (const CLI::Option* option : app.get_options([](const CLI::Option* o) { return !o->get_group().empty(); })) {
        if (option->get_positional() && !option->nonpositional()) {
            command.arguments.push_back(ArgumentModel{option->get_name(true), option->get_description(),
                                                      option->get_expected_max() > 1, option->get_required(),
                                                      choices_of(*option)});
            continue;
        }
        OptionModel model;
        for (const std::string& name : option->get_snames()) model.names.push_back("-" + name);
        for (const std::string& name : option->get_lnames()) model.names.push_back("--" + name);
        if (option->get_expected_max() != 0) model.value_name = value_name_of(*option);  // flags expect none
        model.description = option->get_description();
        model.choices = choices_of(*option);
        command.options.push_back(std::move(model));
    }
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
        std::vector<std::string> sub_path = command.path;
        sub_path.push_back(sub->get_name());
        command.commands.push_back(model_of(*sub, std::move(sub_path)));
    }
    return command;
}

// Every command of the tree, depth first, the program itself first.
void flatten(const CommandModel& command, std::vector<const CommandModel*>& out) {
    out.push_back(&command);
    for (const CommandModel& sub : command.commands) flatten(sub, out);
}

std::string joined(const std::vector<std::string>& words, const std::string& separator) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : separator) + w;
    return out;
}

std::string identifier(const std::string& name) {
    std::string id;
    for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return id;
}

// The program's description without a leading "PROGRAM: ".
std::string summary_of(const CLI::App& root) {
    const std::string description = root.get_description();
    const std::string prefix = root.get_name() + ": ";
    return description.starts_with(prefix) ? description.substr(prefix.size()) : description;
}

// ---------------------------------------------------------------- bash

std::string single_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

std::string bash_completion(const CLI::App& root) {
    const CommandModel tree = model_of(root, {});
    std::vector<const CommandModel*> commands;
    flatten(tree, commands);
    const std::string program = root.get_name();
    const std::string id = "_" + identifier(program);
    std::ostringstream out;
    out << "# bash completion for " << program << ", generated by '" << program
        << " completion bash' from the definitions that parse its command line: do not edit.\n\n";
    out << "# The words of a command: its subcommands, its options, those of them that take a value, and the\n"
           "# words its arguments may be.\n";
    out << id << "_command() {\n    case \"$1\" in\n";
    for (const CommandModel* c : commands) {
        std::vector<std::string> subs, options, valued, arguments;
        for (const CommandModel& sub : c->commands) subs.push_back(sub.path.back());
        for (const OptionModel& o : c->options) {
            for (const std::string& name : o.names) {
                options.push_back(name);
                if (!o.value_name.empty()) valued.push_back(name);
            }
        }
        for (const ArgumentModel& a : c->arguments) arguments.insert(arguments.end(), a.choices.begin(), a.choices.end());
        out << "        " << single_quoted(joined(c->path, " ")) << ") subs=" << single_quoted(joined(subs, " "))
            << " options=" << single_quoted(joined(options, " ")) << " valued=" << single_quoted(joined(valued, " "))
            << " arguments=" << single_quoted(joined(arguments, " ")) << " ;;\n";
    }
    out << "        *) subs='' options='' valued='' arguments='' ;;\n    esac\n}\n\n";
    out << "# The words the value of option $2 of command $1 may be (none: file names).\n";
    out << id << "_values() {\n    case \"$1|$2\" in\n";
    for (const CommandModel* c : commands) {
        for (const OptionModel& o : c->options) {
            if (o.value_name.empty() || o.choices.empty()) continue;
            for (const std::string& name : o.names)
                out << "        " << single_quoted(joined(c->path, " ") + "|" + name) << ") values="
                    << single_quoted(joined(o.choices, " ")) << " ;;\n";
        }
    }
    out << "        *) values='' ;;\n    esac\n}\n\n";
    out << id << "() {\n"
        << "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" command='' word i takes_value=0\n"
        << "    local subs options valued arguments values\n"
        << "    " << id << "_command ''\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        word=\"${COMP_WORDS[i]}\"\n"
        << "        if ((takes_value)); then takes_value=0; continue; fi\n"
        << "        [[ \"$word\" == -- ]] && { options=''; continue; }\n"
        << "        if [[ \" $valued \" == *\" $word \"* ]]; then takes_value=1; continue; fi\n"
        << "        if [[ \"$word\" != -* && \" $subs \" == *\" $word \"* ]]; then\n"
        << "            command=\"${command:+$command }$word\"\n"
        << "            " << id << "_command \"$command\"\n"
        << "        fi\n"
        << "    done\n"
        << "    if ((takes_value)); then\n"
        << "        " << id << "_values \"$command\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
        << "        COMPREPLY=($(compgen -W \"$values\" -- \"$cur\"))\n"
        << "    elif [[ \"$cur\" == -* && -n \"$options\" ]]; then\n"
        << "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
        << "    else\n"
        << "        COMPREPLY=($(compgen -W \"$subs $arguments\" -- \"$cur\"))\n"
        << "    fi\n"
        << "}\n"
        // -o default: nothing proposed (a path, a value without listed words) falls back to file names.
        << "complete -o default -F " << id << " " << program << "\n";
    return out.str();
}

namespace {

// ---------------------------------------------------------------- zsh

// Text in single quotes; `special` are also escaped with a backslash: "[]\\" inside an _arguments
// "[description]", ":\\" in its message and in a _describe item's name.
std::string zsh_quoted(const std::string& text, std::string_view special) {
    std::string out;
    for (char c : text) {
        if (c == '\'') out += "'\\''";
        else if (special.find(c) != std::string_view::npos) out += std::string("\\") + c;
        else out += c;
    }
    return out;
}
std::string zsh_description(const std::string& text) { return zsh_quoted(text, "[]\\"); }
std::string zsh_message(const std::string& text) { return zsh_quoted(text, ":\\"); }

// The words a value may be; a number has none (an action of one blank: zsh shows the message and offers
// nothing); anything else may be a file name.
std::string zsh_action(const std::string& value_name, const std::vector<std::string>& choices) {
    if (!choices.empty()) return "(" + joined(choices, " ") + ")";
    const bool number = value_name == "INT" || value_name == "UINT" || value_name == "FLOAT" || value_name == "NUMBER";
    return number ? " " : "_files";
}

void zsh_function(const CommandModel& c, const std::string& id, std::ostringstream& out) {
    const std::string name = id + (c.path.empty() ? "" : "_" + identifier(joined(c.path, "_")));
    out << name << "() {\n";
    out << "    local curcontext=\"$curcontext\" state line\n";
    out << "    _arguments -C -s";
    for (const OptionModel& o : c.options) {
        for (const std::string& option_name : o.names) {
            const bool long_name = option_name.starts_with("--");
            out << " \\\n        '" << option_name << (o.value_name.empty() ? "" : long_name ? "=" : "+") << "["
                << zsh_description(o.description) << "]";
            if (!o.value_name.empty()) out << ":" << zsh_message(o.value_name) << ":" << zsh_action(o.value_name, o.choices);
            out << "'";
        }
    }
    if (!c.commands.empty()) {
        out << " \\\n        '1:command:->command' \\\n        '*::argument:->argument'\n";
        out << "    case $state in\n        command)\n            local -a commands=(";
        for (const CommandModel& sub : c.commands)
            out << "\n                '" << zsh_message(sub.path.back()) << ":" << zsh_quoted(sub.description, "") << "'";
        out << "\n            )\n            _describe -t commands command commands ;;\n";
        out << "        argument)\n            case $words[1] in\n";
        for (const CommandModel& sub : c.commands)
            out << "                (" << sub.path.back() << ") " << id << "_" << identifier(joined(sub.path, "_")) << " ;;\n";
        out << "            esac ;;\n    esac\n";
    } else {
        int position = 1;
        for (const ArgumentModel& a : c.arguments) {
            out << " \\\n        '" << (a.repeated ? std::string("*") : std::to_string(position++)) << ":"
                << zsh_message(a.name) << ":" << zsh_action(a.name, a.choices) << "'";
        }
        out << "\n";
    }
    out << "}\n\n";
    for (const CommandModel& sub : c.commands) zsh_function(sub, id, out);
}

}  // namespace

std::string zsh_completion(const CLI::App& root) {
    const CommandModel tree = model_of(root, {});
    const std::string program = root.get_name();
    const std::string id = "_" + identifier(program);
    std::ostringstream out;
    out << "#compdef " << program << "\n# zsh completion for " << program << ", generated by '" << program
        << " completion zsh' from the definitions that parse its command line: do not edit.\n\n";
    zsh_function(tree, id, out);
    out << id << " \"$@\"\n";
    return out.str();
}

namespace {

// ---------------------------------------------------------------- man

// Text for roff: backslashes and hyphens escaped, and no line may start with a request character.
std::string roff(const std::string& text) {
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        line_start = c == '\n';
        if (c == '\\') out += "\\e";
        else if (c == '-') out += "\\-";
        else out += c;
    }
    return out;
}

bool common_flag(const OptionModel& o);

std::string usage_of(const std::string& program, const CommandModel& c) {
    std::string usage = program;
    for (const std::string& word : c.path) usage += " " + word;
    if (std::any_of(c.options.begin(), c.options.end(), [&](const OptionModel& o) { return c.path.empty() || !common_flag(o); }))
        usage += " [OPTIONS]";
    if (!c.commands.empty()) usage += " COMMAND";
    for (const ArgumentModel& a : c.arguments) {
        std::string word = a.name + (a.repeated ? "..." : "");
        usage += " " + (a.required ? word : "[" + word + "]");
    }
    return usage;
}

// A subcommand's -h and -V are said once, in DESCRIPTION.
bool common_flag(const OptionModel& o) {
    return std::any_of(o.names.begin(), o.names.end(), [](const std::string& n) { return n == "--help" || n == "--version"; });
}

void man_options(const CommandModel& c, std::ostringstream& out) {
    for (const OptionModel& o : c.options) {
        if (!c.path.empty() && common_flag(o)) continue;
        out << ".TP\n";
        std::string names;
        for (const std::string& name : o.names) names += (names.empty() ? "" : ", ") + ("\\fB" + roff(name) + "\\fR");
        out << names << (o.value_name.empty() ? "" : " \\fI" + roff(o.value_name) + "\\fR") << "\n";
        out << roff(o.description) << "\n";
    }
    for (const ArgumentModel& a : c.arguments) {
        out << ".TP\n\\fI" << roff(a.name) << "\\fR" << (a.repeated ? "..." : "") << "\n" << roff(a.description) << "\n";
    }
}

void man_commands(const std::string& program, const CommandModel& c, std::ostringstream& out) {
    for (const CommandModel& sub : c.commands) {
        out << ".SS \"" << roff(usage_of(program, sub)) << "\"\n" << roff(sub.description) << "\n";
        man_options(sub, out);
        if (!sub.footer.empty()) out << ".PP\n" << roff(sub.footer) << "\n";
        man_commands(program, sub, out);
    }
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string man_page(const CLI::App& root, const std::string& version) {
    const CommandModel tree = model_of(root, {});
    const std::string program = root.get_name();
    std::ostringstream out;
    out << ".\\\" Generated by '" << program << " man' from the definitions that parse its command line: do not edit.\n";
    out << ".TH \"" << roff(upper(program)) << "\" 1 \"\" \"" << roff(version) << "\" \"Lightbox\"\n";
    out << ".SH NAME\n" << roff(program) << " \\- " << roff(summary_of(root)) << "\n";
    out << ".SH SYNOPSIS\n.B " << roff(program) << "\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]\n";
    out << ".SH DESCRIPTION\n" << roff(summary_of(root)) << ". Commands:\n";
    for (const CommandModel& sub : tree.commands)
        out << ".TP\n.B " << roff(sub.path.back()) << "\n" << roff(sub.description) << "\n";
    out << ".PP\nEvery command takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR and \\fB\\-V\\fR, \\fB\\-\\-version\\fR.\n";
    out << ".SH OPTIONS\n";
    man_options(tree, out);
    out << ".SH COMMANDS\n";
    man_commands(program, tree, out);
    if (!tree.footer.empty()) out << ".SH \"EXIT STATUS\"\n" << roff(tree.footer) << "\n";
    return out.str();
}

}  // namespace lbx::cli

#include "model_file.hpp"

#include <lightbox/plugin.hpp>

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <iterator>
#include <string>

namespace lbx::plugins::vision {

namespace {

constexpr const char* kHowToFetch = "fetch the models with scripts/fetch-models.sh ";

std::string sha256_hex(const std::vector<uint8_t>& bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
        throw sdk::Error(LBX_E_INTERNAL, "cannot compute a SHA-256 (OpenSSL)");
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
        hex += kDigits[digest[i] >> 4];
        hex += kDigits[digest[i] & 15];
    }
    return hex;
}

}  // namespace

std::vector<uint8_t> read_verified_model(const std::filesystem::path& dir, const lbx_model_desc& model) {
    const std::filesystem::path file = dir / model.file;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw sdk::Error(LBX_E_IO, "model folder '" + dir.string() + "' not found: " + kHowToFetch + dir.string());
    if (!std::filesystem::is_regular_file(file, ec))
        throw sdk::Error(LBX_E_IO, "model file '" + file.string() + "' not found: " + kHowToFetch + dir.string());
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) throw sdk::Error(LBX_E_IO, "cannot read model file '" + file.string() + "'");
    if (model.sha256 != nullptr) {
        const std::string actual = sha256_hex(bytes);
        if (actual != model.sha256)
            throw sdk::Error(LBX_E_IO, "model file '" + file.string() + "' has SHA-256 " + actual + ", expected " +
                                           model.sha256 + " (" + model.source + "): " + kHowToFetch + dir.string());
    }
    return bytes;
}

}  // namespace lbx::plugins::vision

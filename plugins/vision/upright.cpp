#include "upright.hpp"

namespace lbx::plugins::vision {

cv::Mat upright_rgb(const sdk::ImageView& image, uint32_t orientation) {
    // The host's buffer is read-only; cv::Mat takes a non-const pointer but nothing below writes to it.
    const cv::Mat stored(static_cast<int>(image.height()), static_cast<int>(image.width()), CV_8UC3,
                         const_cast<uint8_t*>(image.row(0)), image.stride());
    cv::Mat upright;
    switch (orientation) {
        case 2: cv::flip(stored, upright, 1); break;  // mirrored left-right
        case 3: cv::rotate(stored, upright, cv::ROTATE_180); break;
        case 4: cv::flip(stored, upright, 0); break;  // mirrored top-bottom
        case 5: cv::transpose(stored, upright); break;
        case 6: cv::rotate(stored, upright, cv::ROTATE_90_CLOCKWISE); break;
        case 7: {
            cv::Mat transposed;
            cv::transpose(stored, transposed);
            cv::rotate(transposed, upright, cv::ROTATE_180);
            break;
        }
        case 8: cv::rotate(stored, upright, cv::ROTATE_90_COUNTERCLOCKWISE); break;
        default: upright = stored; break;
    }
    return upright;
}

}  // namespace lbx::plugins::vision

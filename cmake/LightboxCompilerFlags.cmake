# Warnings and sanitizers for every target of the project (not for third-party code we do not build).
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(LIGHTBOX_WERROR)
  add_compile_options(-Werror)
endif()
if(LIGHTBOX_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

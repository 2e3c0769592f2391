# lightbox_add_plugin(NAME SOURCES src... [LIBRARIES lib...])
# One plugin = one folder = one shared library named after the folder, built against the public SDK
# headers only, with hidden visibility so that the entry point is its one exported symbol.
function(lightbox_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE lightbox::plugin_api ${ARG_LIBRARIES})
  set_target_properties(${name} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${LIGHTBOX_PLUGIN_OUTPUT_DIR}")
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  install(TARGETS ${name} LIBRARY DESTINATION "${LIGHTBOX_PLUGIN_INSTALL_DIR}")
  set_property(GLOBAL APPEND PROPERTY LIGHTBOX_PLUGINS ${name})
endfunction()

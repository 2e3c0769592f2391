# Installs the public plugin SDK (headers, the plugin CMake helper, the stage harness library) and a CMake
# package, so a third party builds a plugin out of tree with find_package(LightboxPluginSDK) and
# lightbox_add_plugin(), and tests it with lightbox::stage_harness.
include(CMakePackageConfigHelpers)
install(DIRECTORY plugin_api/include/lightbox DESTINATION include)
install(DIRECTORY plugin_api/harness/include/lightbox DESTINATION include)
install(TARGETS plugin_api stage_harness EXPORT LightboxPluginSDKTargets
  LIBRARY DESTINATION lib)
install(EXPORT LightboxPluginSDKTargets NAMESPACE lightbox:: DESTINATION lib/cmake/LightboxPluginSDK)
configure_package_config_file(cmake/LightboxPluginSDKConfig.cmake.in
  "${PROJECT_BINARY_DIR}/LightboxPluginSDKConfig.cmake"
  INSTALL_DESTINATION lib/cmake/LightboxPluginSDK)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/LightboxPluginSDKConfigVersion.cmake"
  VERSION 1.2.0 COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/LightboxPluginSDKConfig.cmake"
  "${PROJECT_BINARY_DIR}/LightboxPluginSDKConfigVersion.cmake"
  DESTINATION lib/cmake/LightboxPluginSDK)

# Debian package: `cmake --build build --target package` (or `cpack --config build/CPackConfig.cmake`).
install(FILES ${PROJECT_SOURCE_DIR}/packaging/motifscope.desktop DESTINATION share/applications)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/motifscope-mime.xml DESTINATION share/mime/packages
        RENAME motifscope.xml)
install(FILES ${PROJECT_SOURCE_DIR}/resources/MoSe2_80K_small_region.tif
              ${PROJECT_SOURCE_DIR}/resources/ATTRIBUTION.md
        DESTINATION share/motifscope/samples)
if(EXISTS ${PROJECT_SOURCE_DIR}/resources/icons/motifscope.svg)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/motifscope.svg
            DESTINATION share/icons/hicolor/scalable/apps)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME motifscope)
set(CPACK_PACKAGE_VENDOR "MotifScope developers")
set(CPACK_PACKAGE_CONTACT "MotifScope developers <maintainers@motifscope.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Learn motifs and their hierarchies in atomic-resolution micrographs")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The Python module (lib/python3/dist-packages, built for Debian's python3) wants NumPy for its arrays.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3 (>= 3.11), python3-numpy")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)

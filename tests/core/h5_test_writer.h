#pragma once
// Test-side HDF5 writing with the C API (tests/core only): the EMD and HyperSpy reader tests build
// their small files with it.
#include "core/io/readers.h"

#include <QtTest>

#include <hdf5.h>

#include <algorithm>
#include <string>
#include <vector>

namespace motifscope::test {

using ByteVector = std::vector<std::uint8_t>;

/** Closes an HDF5 id when it goes out of scope (test-side helper). */
struct Id
{
    hid_t id;
    herr_t (*close)(hid_t);
    ~Id()
    {
        if (id >= 0)
            close(id);
    }
    operator hid_t() const { return id; }
};

/** A new HDF5 file on disk, written with the C API and returned as bytes by `bytes()`. */
class H5Writer
{
public:
    explicit H5Writer(std::string path) : mPath(std::move(path))
    {
        mFile = H5Fcreate(mPath.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        QVERIFY(mFile >= 0);
    }
    ~H5Writer() { close(); }
    hid_t file() const { return mFile; }

    /** Writes `values` (double, converted by HDF5) to a new dataset; chunked datasets are unlimited. */
    void dataset(const std::string& path, hid_t fileType, const std::vector<hsize_t>& dims,
                 const std::vector<double>& values, bool chunked = false, bool write = true)
    {
        Id space{H5Screate_simple(int(dims.size()), dims.data(), nullptr), H5Sclose};
        Id lcpl{H5Pcreate(H5P_LINK_CREATE), H5Pclose};
        H5Pset_create_intermediate_group(lcpl, 1);
        Id dcpl{H5Pcreate(H5P_DATASET_CREATE), H5Pclose};
        if (chunked) {
            std::vector<hsize_t> chunk(dims.size());
            for (std::size_t i = 0; i < dims.size(); ++i)
                chunk[i] = std::max<hsize_t>(1, std::min<hsize_t>(dims[i], 64));
            H5Pset_chunk(dcpl, int(chunk.size()), chunk.data());
            H5Pset_deflate(dcpl, 4);
        }
        Id d{H5Dcreate2(mFile, path.c_str(), fileType, space, lcpl, dcpl, H5P_DEFAULT), H5Dclose};
        QVERIFY(d >= 0);
        if (write)
            QVERIFY(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
    }
    /** A dataset written from raw memory of type `memType`. */
    void rawDataset(const std::string& path, hid_t fileType, hid_t memType, const std::vector<hsize_t>& dims,
                    const void* data)
    {
        Id space{H5Screate_simple(int(dims.size()), dims.data(), nullptr), H5Sclose};
        Id lcpl{H5Pcreate(H5P_LINK_CREATE), H5Pclose};
        H5Pset_create_intermediate_group(lcpl, 1);
        Id d{H5Dcreate2(mFile, path.c_str(), fileType, space, lcpl, H5P_DEFAULT, H5P_DEFAULT), H5Dclose};
        QVERIFY(d >= 0);
        QVERIFY(H5Dwrite(d, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
    }
    void group(const std::string& path)
    {
        Id lcpl{H5Pcreate(H5P_LINK_CREATE), H5Pclose};
        H5Pset_create_intermediate_group(lcpl, 1);
        Id g{H5Gcreate2(mFile, path.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT), H5Gclose};
        QVERIFY(g >= 0);
    }
    void stringAttribute(const std::string& object, const std::string& name, const std::string& value)
    {
        Id type{H5Tcopy(H5T_C_S1), H5Tclose};
        H5Tset_size(type, H5T_VARIABLE);
        H5Tset_cset(type, H5T_CSET_UTF8);
        Id space{H5Screate(H5S_SCALAR), H5Sclose};
        Id a{H5Acreate_by_name(mFile, object.c_str(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             H5Aclose};
        const char* text = value.c_str();
        QVERIFY(H5Awrite(a, type, &text) >= 0);
    }
    void intAttribute(const std::string& object, const std::string& name, int value)
    {
        Id space{H5Screate(H5S_SCALAR), H5Sclose};
        Id a{H5Acreate_by_name(mFile, object.c_str(), name.c_str(), H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT,
                               H5P_DEFAULT),
             H5Aclose};
        QVERIFY(H5Awrite(a, H5T_NATIVE_INT, &value) >= 0);
    }
    void doubleAttribute(const std::string& object, const std::string& name, double value)
    {
        Id space{H5Screate(H5S_SCALAR), H5Sclose};
        Id a{H5Acreate_by_name(mFile, object.c_str(), name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT,
                               H5P_DEFAULT),
             H5Aclose};
        QVERIFY(H5Awrite(a, H5T_NATIVE_DOUBLE, &value) >= 0);
    }
    /** A numpy bool as h5py writes it: an 8-bit enum FALSE = 0, TRUE = 1. */
    void boolAttribute(const std::string& object, const std::string& name, bool value)
    {
        Id type{H5Tenum_create(H5T_NATIVE_INT8), H5Tclose};
        const std::int8_t no = 0, yes = 1, v = value ? 1 : 0;
        H5Tenum_insert(type, "FALSE", &no);
        H5Tenum_insert(type, "TRUE", &yes);
        Id space{H5Screate(H5S_SCALAR), H5Sclose};
        Id a{H5Acreate_by_name(mFile, object.c_str(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
             H5Aclose};
        QVERIFY(H5Awrite(a, type, &v) >= 0);
    }
    /** Velox metadata: JSON text as an (n, 1) uint8 array padded with NULs. */
    void veloxMetadata(const std::string& group, const std::string& json)
    {
        std::vector<double> bytes(json.begin(), json.end());
        bytes.resize(json.size() + 64, 0.0);
        dataset(group + "/Metadata", H5T_STD_U8LE, {hsize_t(bytes.size()), 1}, bytes);
    }
    void close()
    {
        if (mFile >= 0)
            H5Fclose(mFile);
        mFile = -1;
    }
    ByteVector bytes()
    {
        close();
        return readFileBytes(mPath);
    }

private:
    std::string mPath;
    hid_t mFile = -1;
};

} // namespace motifscope::test

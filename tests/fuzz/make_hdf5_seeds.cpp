// Writes small valid HDF5 files in the three layouts the EMD reader knows: fuzz_emd's seed corpus.
// Velox (/Data/Image/<id>/Data + JSON metadata), Berkeley EMD (emd_group_type = 1, dim vectors with
// units), HyperSpy (/Experiments/<title>/data, axis-N groups, metadata tree); every numeric type
// (float16 and complex included), contiguous and chunked + deflate, images and stacks, and the
// non-image signals the reader refuses. A few kB each, far below the fuzzer's -max_len, so mutations
// act on whole files (the real instrument files are larger and are truncated by -max_len).
//   make_hdf5_seeds OUTPUT_DIR
#include <hdf5.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr hsize_t kW = 24, kH = 20;

/** One open file; every id it creates is closed before the next call. */
class Writer
{
public:
    explicit Writer(const std::string& path) : mFile(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) {}
    ~Writer() { H5Fclose(mFile); }
    bool ok() const { return mFile >= 0; }

    /** A dataset of `dims` holding a lattice pattern (double, converted by HDF5 to `type`). */
    void data(const std::string& path, hid_t type, const std::vector<hsize_t>& dims, bool chunked)
    {
        std::size_t n = 1;
        for (hsize_t d : dims)
            n *= std::size_t(d);
        std::vector<double> values(n);
        for (std::size_t i = 0; i < n; ++i)
            values[i] = 40 + 30 * std::cos(double(i % kW) * 1.3) * std::cos(double(i / kW) * 1.1);
        if (H5Tget_class(type) == H5T_COMPOUND) { // complex {r, i} of float32 (little-endian host)
            std::vector<float> pairs(2 * n);
            for (std::size_t i = 0; i < n; ++i)
                pairs[2 * i] = float(values[i]), pairs[2 * i + 1] = float(values[i] / 2);
            write(path, type, type, dims, pairs.data(), chunked);
            return;
        }
        write(path, type, H5T_NATIVE_DOUBLE, dims, values.data(), chunked);
    }
    void write(const std::string& path, hid_t fileType, hid_t memType, const std::vector<hsize_t>& dims,
               const void* values, bool chunked)
    {
        const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
        const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
        H5Pset_create_intermediate_group(lcpl, 1);
        const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
        if (chunked) {
            std::vector<hsize_t> chunk(dims.size());
            for (std::size_t i = 0; i < dims.size(); ++i)
                chunk[i] = dims[i] > 8 ? 8 : dims[i];
            H5Pset_chunk(dcpl, int(chunk.size()), chunk.data());
            H5Pset_shuffle(dcpl);
            H5Pset_deflate(dcpl, 4);
        }
        const hid_t d = H5Dcreate2(mFile, path.c_str(), fileType, space, lcpl, dcpl, H5P_DEFAULT);
        H5Dwrite(d, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
        H5Dclose(d);
        H5Pclose(dcpl);
        H5Pclose(lcpl);
        H5Sclose(space);
    }
    void group(const std::string& path)
    {
        const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
        H5Pset_create_intermediate_group(lcpl, 1);
        H5Gclose(H5Gcreate2(mFile, path.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT));
        H5Pclose(lcpl);
    }
    /** A variable-length UTF-8 string attribute (h5py's str), or a fixed-length one. */
    void text(const std::string& object, const std::string& name, const std::string& value, bool variable = true)
    {
        const hid_t type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, variable ? H5T_VARIABLE : value.size() + 1);
        H5Tset_cset(type, H5T_CSET_UTF8);
        const char* p = value.c_str();
        attribute(object, name, type, type, variable ? static_cast<const void*>(&p) : p);
        H5Tclose(type);
    }
    void number(const std::string& object, const std::string& name, double value)
    {
        attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
    }
    void integer(const std::string& object, const std::string& name, int value)
    {
        attribute(object, name, H5T_STD_I32LE, H5T_NATIVE_INT, &value);
    }
    /** numpy bool as h5py writes it: an 8-bit enum FALSE = 0, TRUE = 1. */
    void flag(const std::string& object, const std::string& name, bool value)
    {
        const hid_t type = H5Tenum_create(H5T_NATIVE_INT8);
        const signed char no = 0, yes = 1, v = value ? 1 : 0;
        H5Tenum_insert(type, "FALSE", &no);
        H5Tenum_insert(type, "TRUE", &yes);
        attribute(object, name, type, type, &v);
        H5Tclose(type);
    }

private:
    void attribute(const std::string& object, const std::string& name, hid_t fileType, hid_t memType, const void* value)
    {
        const hid_t space = H5Screate(H5S_SCALAR);
        const hid_t a = H5Acreate_by_name(mFile, object.c_str(), name.c_str(), fileType, space, H5P_DEFAULT,
                                          H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a, memType, value);
        H5Aclose(a);
        H5Sclose(space);
    }
    hid_t mFile;
};

const std::string kVelox = "/Data/Image/6fdbde41eecc4375b45cd86bd2be17c0";

void velox(const std::string& path, hid_t type, hsize_t frames, bool chunked)
{
    Writer w(path);
    w.data(kVelox + "/Data", type, {kH, kW, frames}, chunked);
    const std::string json = R"({"BinaryResult":{"PixelSize":{"width":"2.5e-011","height":"2.5e-011"},)"
                             R"("PixelUnitX":"m","PixelUnitY":"m","Detector":"HAADF"},)"
                             R"("Optics":{"AccelerationVoltage":"300000","NominalMagnification":"5e6"},)"
                             R"("Instrument":{"Manufacturer":"FEI Company","InstrumentModel":"Titan"},)"
                             R"("Scan":{"DwellTime":"2e-06","ScanRotation":"0.5"}})";
    std::vector<unsigned char> bytes(json.begin(), json.end());
    bytes.resize(bytes.size() + 16, 0);
    w.write(kVelox + "/Metadata", H5T_STD_U8LE, H5T_NATIVE_UCHAR, {hsize_t(bytes.size()), 1}, bytes.data(), false);
}

void berkeley(const std::string& path, hid_t type, bool chunked, const std::string& units)
{
    Writer w(path);
    const std::string g = "/data/image";
    w.group(g);
    w.text("/", "version_major", "0");
    w.text("/", "version_minor", "2");
    w.integer(g, "emd_group_type", 1);
    w.data(g + "/data", type, {kW, kH}, chunked); // dim1 = x first
    std::vector<double> x(kW), y(kH);
    for (hsize_t i = 0; i < kW; ++i)
        x[i] = 0.05 * double(i);
    for (hsize_t i = 0; i < kH; ++i)
        y[i] = 0.05 * double(i);
    w.write(g + "/dim1", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {kW}, x.data(), false);
    w.write(g + "/dim2", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {kH}, y.data(), false);
    w.text(g + "/dim1", "name", "x");
    w.text(g + "/dim1", "units", units);
    w.text(g + "/dim2", "name", "y", false);
    w.text(g + "/dim2", "units", units, false);
    w.group("/microscope");
    w.text("/microscope", "name", "TEAM 0.5");
    w.number("/microscope", "voltage", 300);
    w.group("/sample");
    w.text("/sample", "material", "SrTiO3");
}

/** HyperSpy: `signalAxes` of the shape's axes are the signal (the last ones), the rest navigation. */
void hyperspy(const std::string& path, hid_t type, const std::vector<hsize_t>& shape, std::size_t signalAxes,
              bool chunked, bool navigateFlags)
{
    Writer w(path);
    const std::string g = "/Experiments/HAADF";
    w.group(g + "/metadata/General");
    w.group(g + "/metadata/Signal");
    w.group(g + "/metadata/Acquisition_instrument/TEM");
    w.text("/", "file_format", "HyperSpy");
    w.text("/", "file_format_version", "3.1");
    w.text(g, "package", "hyperspy");
    w.text(g, "package_version", "2.1.0");
    w.text(g + "/metadata/General", "title", "HAADF");
    w.text(g + "/metadata/General", "original_filename", "scan.dm4");
    w.text(g + "/metadata/Signal", "signal_type", "");
    w.text(g + "/metadata/Signal", "record_by", signalAxes == 1 ? "spectrum" : "image");
    w.number(g + "/metadata/Acquisition_instrument/TEM", "beam_energy", 200);
    w.data(g + "/data", type, shape, chunked);
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const std::string axis = g + "/axis-" + std::to_string(i);
        const bool navigate = i < shape.size() - signalAxes;
        w.group(axis);
        if (navigateFlags)
            w.flag(axis, "navigate", navigate);
        w.number(axis, "scale", navigate ? 1.0 : 0.0093);
        w.number(axis, "offset", 0.0);
        w.text(axis, "units", navigate ? "s" : "nm");
        w.text(axis, "name", navigate ? "time" : (i + 1 == shape.size() ? "x" : "y"));
        w.integer(axis, "size", int(shape[i]));
    }
}

hid_t halfType()
{
    const hid_t half = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(half, 15, 10, 5, 0, 10);
    H5Tset_size(half, 2);
    H5Tset_ebias(half, 15);
    return half;
}

hid_t complexType()
{
    const hid_t c = H5Tcreate(H5T_COMPOUND, 8);
    H5Tinsert(c, "r", 0, H5T_IEEE_F32LE);
    H5Tinsert(c, "i", 4, H5T_IEEE_F32LE);
    return c;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_hdf5_seeds OUTPUT_DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    const hid_t half = halfType();
    struct Type
    {
        const char* name;
        hid_t id;
    };
    const Type types[] = {{"uint8", H5T_STD_U8LE},   {"int16", H5T_STD_I16LE}, {"uint16be", H5T_STD_U16BE},
                          {"int32", H5T_STD_I32LE},  {"uint64", H5T_STD_U64LE}, {"float16", half},
                          {"float32", H5T_IEEE_F32LE}, {"float64be", H5T_IEEE_F64BE}};
    int count = 0;
    for (const Type& t : types) {
        const std::string n = t.name;
        velox(dir + "/velox_" + n + ".emd", t.id, 1, false);
        berkeley(dir + "/berkeley_" + n + ".emd", t.id, false, "[n_m]");
        hyperspy(dir + "/hyperspy_" + n + ".hspy", t.id, {kH, kW}, 2, false, true);
        count += 3;
    }
    const hid_t complex = complexType();
    velox(dir + "/velox_complex64_chunked.emd", complex, 1, true);
    velox(dir + "/velox_uint16_stack_chunked.emd", H5T_STD_U16LE, 3, true);
    berkeley(dir + "/berkeley_float32_chunked_angstrom.emd", H5T_IEEE_F32LE, true, "[A]");
    hyperspy(dir + "/hyperspy_stack_chunked.hspy", H5T_IEEE_F32LE, {3, kH, kW}, 2, true, true);
    hyperspy(dir + "/hyperspy_float16_chunked.hspy", half, {kH, kW}, 2, true, true);
    hyperspy(dir + "/hyperspy_no_flags.hdf5", H5T_STD_U16LE, {kH, kW}, 2, false, false);
    hyperspy(dir + "/hyperspy_spectrum_image.hspy", H5T_IEEE_F32LE, {4, 5, 16}, 1, false, true); // refused
    hyperspy(dir + "/hyperspy_4d.hspy", H5T_STD_U8LE, {2, 2, 6, 6}, 2, true, true);               // refused
    count += 8;
    H5Tclose(complex);
    H5Tclose(half);
    std::printf("make_hdf5_seeds: %d files in %s\n", count, dir.c_str());
    return 0;
}

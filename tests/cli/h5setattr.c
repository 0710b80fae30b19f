/*
 * h5setattr.c - replaces a scalar attribute of a file's root, for the CLI
 * tests that need a file as another dcsim would have written it (a part of
 * another version, an interrupted part):
 *
 *   h5setattr FILE NAME VALUE
 *
 * An existing integer attribute gets VALUE as a 64-bit integer, any other
 * a variable-length UTF-8 string, as dcsim writes them. Exit status 1 when
 * the file or the attribute is missing or VALUE is not a whole number for
 * an integer attribute.
 */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: h5setattr FILE NAME VALUE\n");
        return 2;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(argv[1], H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0) {
        fprintf(stderr, "h5setattr: cannot open %s\n", argv[1]);
        return 1;
    }
    hid_t a = H5Aopen(f, argv[2], H5P_DEFAULT);
    if (a < 0) {
        fprintf(stderr, "h5setattr: %s has no attribute %s\n", argv[1], argv[2]);
        H5Fclose(f);
        return 1;
    }
    hid_t t = H5Aget_type(a);
    int integer = H5Tget_class(t) == H5T_INTEGER;
    H5Tclose(t);
    H5Aclose(a);
    int rc = 0;
    hid_t s = H5Screate(H5S_SCALAR);
    if (H5Adelete(f, argv[2]) < 0)
        rc = 1;
    if (rc == 0 && integer) {
        char *end;
        long long v = strtoll(argv[3], &end, 10);
        if (end == argv[3] || *end != '\0') {
            fprintf(stderr, "h5setattr: %s is not a whole number\n", argv[3]);
            rc = 1;
        }
        a = rc == 0 ? H5Acreate2(f, argv[2], H5T_STD_I64LE, s, H5P_DEFAULT, H5P_DEFAULT) : -1;
        if (a < 0 || H5Awrite(a, H5T_NATIVE_LLONG, &v) < 0)
            rc = 1;
    } else if (rc == 0) {
        t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, H5T_VARIABLE);
        H5Tset_cset(t, H5T_CSET_UTF8);
        const char *v = argv[3];
        a = H5Acreate2(f, argv[2], t, s, H5P_DEFAULT, H5P_DEFAULT);
        if (a < 0 || H5Awrite(a, t, &v) < 0)
            rc = 1;
        H5Tclose(t);
    }
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(s);
    if (H5Fclose(f) < 0)
        rc = 1;
    if (rc != 0)
        fprintf(stderr, "h5setattr: cannot write %s of %s\n", argv[2], argv[1]);
    return rc;
}

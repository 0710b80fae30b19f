/*
 * h5table.c - prints columns of an HDF5 table (a 1-D compound dataset) as
 * tab-separated text, for the CLI tests' shell scripts:
 *
 *   h5table FILE DATASET COLUMN...
 *   h5table FILE DATASET --names    (the column names, one a line)
 *
 * One line per row, the columns in the order asked: integers as integers,
 * floating-point numbers with %.17g (they read back to the same double),
 * enumerations by name, fixed-length strings as stored. Exit status 1 when
 * the file, the dataset or a column is missing. h5dump prints compound rows
 * over many lines; awk wants one.
 */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: h5table FILE DATASET COLUMN... | --names\n");
        return 2;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        fprintf(stderr, "h5table: cannot open %s\n", argv[1]);
        return 1;
    }
    hid_t d = H5Dopen2(f, argv[2], H5P_DEFAULT);
    if (d < 0) {
        fprintf(stderr, "h5table: %s has no dataset %s\n", argv[1], argv[2]);
        return 1;
    }
    hid_t ft = H5Dget_type(d), sp = H5Dget_space(d);
    if (strcmp(argv[3], "--names") == 0) { /* the column names, one a line */
        int nm = H5Tget_nmembers(ft);
        for (int j = 0; j < nm; j++) {
            char *mn = H5Tget_member_name(ft, (unsigned)j);
            printf("%s\n", mn);
            H5free_memory(mn);
        }
        return 0;
    }
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    int ncols = argc - 3;
    /* Each column is read on its own as a native double, int64 or string. */
    size_t *width = calloc((size_t)ncols, sizeof *width);
    H5T_class_t *cls = calloc((size_t)ncols, sizeof *cls);
    hid_t *etype = calloc((size_t)ncols, sizeof *etype);
    void **data = calloc((size_t)ncols, sizeof *data);
    for (int c = 0; c < ncols; c++) {
        const char *name = argv[3 + c];
        int idx = H5Tget_member_index(ft, name);
        if (idx < 0) {
            fprintf(stderr, "h5table: %s has no column %s\n", argv[2], name);
            return 1;
        }
        hid_t mt0 = H5Tget_member_type(ft, (unsigned)idx);
        cls[c] = H5Tget_class(mt0);
        hid_t mem;
        size_t size;
        if (cls[c] == H5T_FLOAT) {
            mem = H5Tcopy(H5T_NATIVE_DOUBLE);
        } else if (cls[c] == H5T_INTEGER) {
            mem = H5Tcopy(H5T_NATIVE_INT64);
        } else if (cls[c] == H5T_ENUM) {
            mem = H5Tget_native_type(mt0, H5T_DIR_ASCEND);
            etype[c] = H5Tcopy(mem);
        } else {
            mem = H5Tcopy(H5T_C_S1);
            width[c] = H5Tget_size(mt0) + 1;
            H5Tset_size(mem, width[c]);
        }
        size = H5Tget_size(mem);
        hid_t ct = H5Tcreate(H5T_COMPOUND, size);
        H5Tinsert(ct, name, 0, mem);
        data[c] = calloc((size_t)n + 1, size);
        if (n > 0 && H5Dread(d, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, data[c]) < 0) {
            fprintf(stderr, "h5table: cannot read %s of %s\n", name, argv[2]);
            return 1;
        }
        width[c] = size;
        H5Tclose(ct);
        H5Tclose(mem);
        H5Tclose(mt0);
    }
    char name[256];
    for (hssize_t i = 0; i < n; i++) {
        for (int c = 0; c < ncols; c++) {
            const unsigned char *p = (const unsigned char *)data[c] + (size_t)i * width[c];
            if (c > 0)
                putchar('\t');
            if (cls[c] == H5T_FLOAT) {
                double v;
                memcpy(&v, p, sizeof v);
                printf("%.17g", v);
            } else if (cls[c] == H5T_INTEGER) {
                long long v;
                memcpy(&v, p, sizeof v);
                printf("%lld", v);
            } else if (cls[c] == H5T_ENUM) {
                if (H5Tenum_nameof(etype[c], p, name, sizeof name) < 0)
                    snprintf(name, sizeof name, "?");
                fputs(name, stdout);
            } else {
                fputs((const char *)p, stdout); /* NUL-terminated in memory */
            }
        }
        putchar('\n');
    }
    for (int c = 0; c < ncols; c++) {
        free(data[c]);
        if (etype[c] > 0)
            H5Tclose(etype[c]);
    }
    free(data);
    free(width);
    free(cls);
    free(etype);
    H5Tclose(ft);
    H5Sclose(sp);
    H5Dclose(d);
    H5Fclose(f);
    return 0;
}

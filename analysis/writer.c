/*
 * writer.c - CSV and JSON values and money for people (writer.h).
 *
 * The shortest exact number is found by trying 15, 16 and 17 significant
 * digits and keeping the first that strtod reads back to the same double:
 * 17 always does (IEEE 754 binary64), and most values from a scenario
 * ("2.29", "989e12") need 15 or fewer, so they read as written.
 */
#include "writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dcs_write_exact(char *buf, size_t n, double v)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, n, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void dcs_write_str(FILE *out, dcs_write_fmt fmt, const char *s)
{
    if (s == NULL)
        s = "";
    if (fmt == DCS_WRITE_CSV) {
        if (strpbrk(s, ",\"\r\n") == NULL) {
            fputs(s, out);
            return;
        }
        fputc('"', out);
        for (; *s != '\0'; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
        return;
    }
    fputc('"', out);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

void dcs_write_num(FILE *out, dcs_write_fmt fmt, double v)
{
    if (!isfinite(v)) {
        if (fmt == DCS_WRITE_JSON)
            fputs("null", out);
        else
            fputs(isnan(v) ? "nan" : v < 0 ? "-inf" : "inf", out);
        return;
    }
    char buf[40];
    dcs_write_exact(buf, sizeof buf, v);
    fputs(buf, out);
}

void dcs_write_int(FILE *out, dcs_write_fmt fmt, long long v)
{
    (void)fmt;
    fprintf(out, "%lld", v);
}

void dcs_money(double usd, char *buf, size_t n)
{
    if (isnan(usd)) {
        snprintf(buf, n, "-");
        return;
    }
    const char *sign = usd < 0 ? "-" : "";
    double a = fabs(usd);
    if (isinf(a))
        snprintf(buf, n, "%s$inf", sign);
    /* Each threshold is where the smaller unit would round up to 1000. */
    else if (a >= 999.995e9)
        snprintf(buf, n, "%s$%.2fT", sign, a / 1e12);
    else if (a >= 999.995e6)
        snprintf(buf, n, "%s$%.2fB", sign, a / 1e9);
    else if (a >= 999.95e3)
        snprintf(buf, n, "%s$%.2fM", sign, a / 1e6);
    else if (a >= 999.995)
        snprintf(buf, n, "%s$%.1fk", sign, a / 1e3);
    else
        snprintf(buf, n, "%s$%.2f", sign, a);
}

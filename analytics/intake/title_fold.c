#include <stdint.h>

/* See title_fold.py: fold row r's UTF-8 bytes data[offsets[r]..offsets[r+1]) into out at out_offsets[r].
   table[code point]: 0 not in the table, 1 kept as it is, 2..127 the ASCII byte it folds to. valid[r] is cleared
   where a character is outside the table, a control character or a run of spaces occurs (that string is NULL). */
void fold_latin(const uint8_t *data, const int32_t *offsets, int64_t count, const uint8_t *table, uint8_t *out,
                int32_t *out_offsets, uint8_t *valid) {
    int32_t j = 0;
    for (int64_t r = 0; r < count; r++) {
        int32_t start = j, i = offsets[r], end = offsets[r + 1];
        out_offsets[r] = j;
        uint8_t previous = 0;
        while (valid[r] && i < end) {
            uint8_t lead = data[i];
            if (lead < 0x80) {
                if (lead < 0x20 || (lead == 0x20 && previous == 0x20)) valid[r] = 0;
                out[j++] = (lead >= 'A' && lead <= 'Z') ? lead + 32 : lead;
                previous = lead;
                i++;
                continue;
            }
            previous = 0;
            int width;
            uint32_t point;
            if (lead >= 0xC0 && lead < 0xE0 && i + 1 < end) {
                point = ((uint32_t)(lead & 0x1F) << 6) | (data[i + 1] & 0x3F);
                width = 2;
            } else if (lead >= 0xE0 && lead < 0xF0 && i + 2 < end) {
                point = ((uint32_t)(lead & 0x0F) << 12) | ((uint32_t)(data[i + 1] & 0x3F) << 6) | (data[i + 2] & 0x3F);
                width = 3;
            } else {
                valid[r] = 0;
                break;
            }
            uint8_t value = table[point];
            if (value == 1) {
                for (int k = 0; k < width; k++) out[j++] = data[i + k];
            } else if (value) {
                out[j++] = value;
            } else {
                valid[r] = 0;
            }
            i += width;
        }
        if (!valid[r]) j = start;
    }
    out_offsets[count] = j;
}

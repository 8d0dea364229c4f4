/**
 * The transposed patch gather of the filter gradient, as WebAssembly text for `wasm-loops.ts`:
 *
 *   colsᵀ[(kh, kw, ci), n] = x[b, iy, ix, ci], zero in the padding,
 *
 * one row per filter tap and channel, n = (b, oy, ox). Each output row's columns whose input lies
 * in the image ([oxLo, oxHi)) are found once per tap, so the copy itself needs no checks. Four
 * channels of four neighbouring pixels are loaded as four vectors and transposed in registers
 * (eight shuffles) into four rows of colsᵀ; one float at a time, the same copy costs four times as
 * long on the second layer of the reference CNN. Leftover pixels and channels go one by one.
 */
import { forLoop, i32Locals, inc, lanes32, pick, V128, type FunctionSource } from './wasm-assembler';

/** Parameter names of the convolution geometry, in the order `patchGeometry` passes it. */
export const PATCH_GEOMETRY = ['$batch', '$inH', '$inW', '$ch', '$outH', '$outW', '$fh', '$fw', '$sh', '$sw', '$dh', '$dw', '$padTop', '$padLeft'];

const ROWS = [0, 1, 2, 3];
const rowAt = (i: number, base: string) => (i === 0 ? base : `${base}  local.get $rs${i}  i32.add`);

/** Zeroes `bytes` (instruction text) at `offset` (instruction text) from $dst in the `count` rows of this block. */
const zeroRows = (count: number, offset: string, bytes: string) =>
  ROWS.slice(0, count).map((i) => `${rowAt(i, `local.get $dst  ${offset}  i32.add`)}  i32.const 0  ${bytes}  memory.fill`).join('\n');

/** One output row (fixed b, oy) of `count` channel rows, 4 (transposed in registers) or 1. */
function outputRow(count: 1 | 4): string {
  const quads = forLoop('$p', 'local.get $p', 'local.get $pQuadEnd', 'i32.const 16', `
    local.get $src  v128.load 0  local.set $r0
    local.get $src  local.get $xStep  i32.add  v128.load 0  local.set $r1
    local.get $src  local.get $xStep2  i32.add  v128.load 0  local.set $r2
    local.get $src  local.get $xStep3  i32.add  v128.load 0  local.set $r3
    local.get $r0  local.get $r1  i8x16.shuffle ${lanes32(0, 4, 1, 5)}  local.set $t0
    local.get $r0  local.get $r1  i8x16.shuffle ${lanes32(2, 6, 3, 7)}  local.set $t1
    local.get $r2  local.get $r3  i8x16.shuffle ${lanes32(0, 4, 1, 5)}  local.set $t2
    local.get $r2  local.get $r3  i8x16.shuffle ${lanes32(2, 6, 3, 7)}  local.set $t3
    local.get $p  local.get $t0  local.get $t2  i8x16.shuffle ${lanes32(0, 1, 4, 5)}  v128.store 0
    ${rowAt(1, 'local.get $p')}  local.get $t0  local.get $t2  i8x16.shuffle ${lanes32(2, 3, 6, 7)}  v128.store 0
    ${rowAt(2, 'local.get $p')}  local.get $t1  local.get $t3  i8x16.shuffle ${lanes32(0, 1, 4, 5)}  v128.store 0
    ${rowAt(3, 'local.get $p')}  local.get $t1  local.get $t3  i8x16.shuffle ${lanes32(2, 3, 6, 7)}  v128.store 0
    ${inc('$src', 'local.get $xStep4')}`);
  const singles = forLoop('$p', 'local.get $p', 'local.get $pEnd', 'i32.const 4', `
    ${ROWS.slice(0, count).map((i) => `${rowAt(i, 'local.get $p')}  local.get $src  f32.load ${4 * i}  f32.store 0`).join('\n')}
    ${inc('$src', 'local.get $xStep')}`);
  return `
    local.get $oy  local.get $sh  i32.mul  local.get $kh  local.get $dh  i32.mul  i32.add  local.get $padTop  i32.sub  local.set $iy
    local.get $iy  local.get $inH  i32.ge_u
    if
      ${zeroRows(count, 'i32.const 0', 'local.get $rowOut')}
    else
      ${zeroRows(count, 'i32.const 0', 'local.get $oxLo  i32.const 4  i32.mul')}
      ${zeroRows(count, 'local.get $oxHi  i32.const 4  i32.mul', 'local.get $outW  local.get $oxHi  i32.sub  i32.const 4  i32.mul')}
      local.get $image  local.get $iy  local.get $rowBytes  i32.mul  i32.add
      local.get $oxLo  local.get $sw  i32.mul  local.get $dx  i32.add  local.get $ch  i32.mul  i32.add  local.set $src
      local.get $dst  local.get $oxLo  i32.const 4  i32.mul  i32.add  local.set $p
      local.get $dst  local.get $oxHi  i32.const 4  i32.mul  i32.add  local.set $pEnd
      local.get $p  local.get $oxHi  local.get $oxLo  i32.sub  i32.const -4  i32.and  i32.const 4  i32.mul  i32.add  local.set $pQuadEnd
      ${count === 4 ? quads : ''}
      ${singles}
    end
    ${inc('$dst', 'local.get $rowOut')}`;
}

/** All images and output rows of one block of `count` channels starting at byte $c of tap ($kh, $kw). */
const channelBlock = (count: 1 | 4) => `
  local.get $cols  local.get $kh  local.get $fw  i32.mul  local.get $kw  i32.add  local.get $ch  i32.mul  local.get $c  i32.add  local.get $n  i32.mul  i32.add  local.set $dst
  ${forLoop('$b', 'i32.const 0', 'local.get $batch', 'i32.const 1', `
    local.get $x  local.get $b  local.get $imageBytes  i32.mul  i32.add  local.get $c  i32.add  local.set $image
    ${forLoop('$oy', 'i32.const 0', 'local.get $outH', 'i32.const 1', outputRow(count))}`)}`;

const TAP = `
  local.get $kw  local.get $dw  i32.mul  local.get $padLeft  i32.sub  local.set $dx
  ${pick(pick('local.get $sw  i32.const 1  i32.sub  local.get $dx  i32.sub  local.get $sw  i32.div_s', 'i32.const 0', 'i32.gt_s'), 'local.get $outW', 'i32.lt_s')}  local.set $oxLo
  ${pick(pick('local.get $inW  local.get $dx  i32.sub  local.get $sw  i32.add  i32.const 1  i32.sub  local.get $sw  i32.div_s', 'local.get $outW', 'i32.lt_s'), 'local.get $oxLo', 'i32.gt_s')}  local.set $oxHi
  ${forLoop('$c', 'i32.const 0', 'local.get $vecEnd', 'i32.const 16', channelBlock(4))}
  ${forLoop('$c', 'local.get $vecEnd', 'local.get $ch', 'i32.const 4', channelBlock(1))}`;

export function transposedGatherSource(): FunctionSource {
  return {
    name: 'gatherPatchesTransposed',
    params: ['$x', '$cols', ...PATCH_GEOMETRY],
    locals: [
      ...i32Locals('$kh', '$kw', '$c', '$b', '$oy', '$iy', '$dx', '$oxLo', '$oxHi', '$src', '$dst', '$p', '$pEnd', '$pQuadEnd', '$image'),
      ...i32Locals('$rowBytes', '$imageBytes', '$xStep', '$xStep2', '$xStep3', '$xStep4', '$rowOut', '$n', '$rs1', '$rs2', '$rs3', '$vecEnd'),
      ...['$r0', '$r1', '$r2', '$r3', '$t0', '$t1', '$t2', '$t3'].map((name): [string, number] => [name, V128]),
    ],
    source: `
      local.get $inW  local.get $ch  i32.mul  local.set $rowBytes
      local.get $inH  local.get $rowBytes  i32.mul  local.set $imageBytes
      local.get $sw  local.get $ch  i32.mul  local.set $xStep
      local.get $xStep  i32.const 2  i32.mul  local.set $xStep2
      local.get $xStep  i32.const 3  i32.mul  local.set $xStep3
      local.get $xStep  i32.const 4  i32.mul  local.set $xStep4
      local.get $outW  i32.const 4  i32.mul  local.set $rowOut
      local.get $batch  local.get $outH  i32.mul  local.get $outW  i32.mul  local.set $n
      local.get $n  i32.const 4  i32.mul  local.set $rs1
      local.get $n  i32.const 8  i32.mul  local.set $rs2
      local.get $n  i32.const 12  i32.mul  local.set $rs3
      local.get $ch  i32.const -16  i32.and  local.set $vecEnd
      ${forLoop('$kh', 'i32.const 0', 'local.get $fh', 'i32.const 1',
        forLoop('$kw', 'i32.const 0', 'local.get $fw', 'i32.const 1', TAP))}`,
  };
}

const TRANSPOSE_QUAD = `
  local.get $s  local.get $c  i32.const 4  i32.mul  i32.add  local.tee $at  v128.load 0  local.set $r0
  local.get $at  local.get $cb  i32.add  local.tee $at  v128.load 0  local.set $r1
  local.get $at  local.get $cb  i32.add  local.tee $at  v128.load 0  local.set $r2
  local.get $at  local.get $cb  i32.add  v128.load 0  local.set $r3
  local.get $r0  local.get $r1  i8x16.shuffle ${lanes32(0, 4, 1, 5)}  local.set $t0
  local.get $r0  local.get $r1  i8x16.shuffle ${lanes32(2, 6, 3, 7)}  local.set $t1
  local.get $r2  local.get $r3  i8x16.shuffle ${lanes32(0, 4, 1, 5)}  local.set $t2
  local.get $r2  local.get $r3  i8x16.shuffle ${lanes32(2, 6, 3, 7)}  local.set $t3
  local.get $dst  local.get $c  local.get $rs1  i32.mul  i32.add  local.get $r  i32.const 4  i32.mul  i32.add  local.tee $at
  local.get $t0  local.get $t2  i8x16.shuffle ${lanes32(0, 1, 4, 5)}  v128.store 0
  local.get $at  local.get $rs1  i32.add  local.tee $at  local.get $t0  local.get $t2  i8x16.shuffle ${lanes32(2, 3, 6, 7)}  v128.store 0
  local.get $at  local.get $rs1  i32.add  local.tee $at  local.get $t1  local.get $t3  i8x16.shuffle ${lanes32(0, 1, 4, 5)}  v128.store 0
  local.get $at  local.get $rs1  i32.add  local.get $t1  local.get $t3  i8x16.shuffle ${lanes32(2, 3, 6, 7)}  v128.store 0`;

/** dst[c, r] = src[r, c] for `$rowsFrom` ≤ r < `$rowsTo` and `$colsFrom` ≤ c < `$cols`, one float at a time. */
const transposeSingles = (rowsFrom: string, rowsTo: string, colsFrom: string) =>
  forLoop('$r', rowsFrom, rowsTo, 'i32.const 1',
    forLoop('$c', colsFrom, 'local.get $cols', 'i32.const 1', `
      local.get $dst  local.get $c  local.get $rs1  i32.mul  i32.add  local.get $r  i32.const 4  i32.mul  i32.add
      local.get $src  local.get $r  local.get $cb  i32.mul  i32.add  local.get $c  i32.const 4  i32.mul  i32.add  f32.load 0
      f32.store 0`));

/**
 * transpose(src, dst, rows, cols): dst[cols, rows] = src[rows, cols]ᵀ in 4 × 4 tiles, reading four
 * source rows at a time so every destination row is written in order. The backend's Transpose
 * walks the destination one float at a time, and slows down fivefold when the destination rows lie
 * a multiple of 4 KiB apart (dY of the first 'same' layer of the reference CNN: 50,176 floats).
 */
export function transposeSource(): FunctionSource {
  return {
    name: 'transpose',
    params: ['$src', '$dst', '$rows', '$cols'],
    locals: [
      ...i32Locals('$r', '$c', '$s', '$at', '$cb', '$rs1', '$rowQuads', '$colQuads'),
      ...['$r0', '$r1', '$r2', '$r3', '$t0', '$t1', '$t2', '$t3'].map((name): [string, number] => [name, V128]),
    ],
    source: `
      local.get $cols  i32.const 4  i32.mul  local.set $cb
      local.get $rows  i32.const 4  i32.mul  local.set $rs1
      local.get $rows  i32.const -4  i32.and  local.set $rowQuads
      local.get $cols  i32.const -4  i32.and  local.set $colQuads
      ${forLoop('$r', 'i32.const 0', 'local.get $rowQuads', 'i32.const 4', `
        local.get $src  local.get $r  local.get $cb  i32.mul  i32.add  local.set $s
        ${forLoop('$c', 'i32.const 0', 'local.get $colQuads', 'i32.const 4', TRANSPOSE_QUAD)}`)}
      ${transposeSingles('i32.const 0', 'local.get $rowQuads', 'local.get $colQuads')}
      ${transposeSingles('local.get $rowQuads', 'local.get $rows', 'i32.const 0')}`,
  };
}

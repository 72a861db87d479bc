/*
 * runtime/core: the semantics helpers of FP, Advanced SIMD, crypto and system instructions. The lifter
 * writes such an instruction as one `helper` op, which the emitter turns into a call of
 * rt_a64_<fn>(cpu, pc, args...) (docs/ir.md). One header per instruction group, in a64/.
 */
#ifndef RECOMP_A64_H
#define RECOMP_A64_H

#include "a64/vector.h"
#include "a64/fp_state.h"
#include "a64/atomics.h"
#include "a64/crc32.h"
#include "a64/crypto.h"
#include "a64/structures.h"
#include "a64/system.h"
#include "a64/fp_scalar.h"
#include "a64/fp_vector.h"
#include "a64/simd_arith.h"
#include "a64/simd_misc.h"
#include "a64/simd_copy.h"

#endif

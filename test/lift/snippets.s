// Hand-picked forms (prologues, aliases, every addressing mode) that random words rarely hit.
	.text

f:
	stp x29, x30, [sp, #-48]!
	mov x29, sp
	stp x19, x20, [sp, #16]
	ldp x19, x20, [sp, #16]
	ldp x29, x30, [sp], #48
	stp w1, w2, [x3, #-8]
	ldpsw x1, x2, [x3, #8]
	ldnp x1, x2, [x3]
	stnp x1, x2, [x3, #16]
	ldr x0, [x1]
	ldr x0, [x1, #8]
	ldr w0, [x1, #4]!
	ldr w0, [x1], #-4
	ldur x0, [x1, #-1]
	ldrsw x0, [x1, #4]
	ldrsw x0, [x1, x2, lsl #2]
	ldrsw x0, [x1, w2, sxtw]
	ldrsb w0, [x1]
	ldrsb x0, [x1, #1]
	ldrsh w0, [x1, #2]
	ldrsh x0, [x1, x2]
	ldrb w0, [x1, w2, uxtw]
	ldrb w0, [x1, x2, lsl #0]
	ldrh w0, [x1, w2, sxtw #1]
	ldr x0, [x1, x2, sxtx #3]
	str x0, [sp, #8]
	strb wzr, [x0, #1]
	strh w1, [x0], #2
	sturh w1, [x0, #-2]
	ldtr x1, [x2, #8]
	prfm pldl1keep, [x0]
	prfm pstl2strm, [x0, #64]
	prfum pldl3keep, [x0, #-1]
	prfm plil1keep, [x0, x1]
	ldxr x0, [x1]
	ldaxr w0, [x1]
	stxr w2, x0, [x1]
	stlxr w2, w0, [x1]
	ldxrb w0, [x1]
	stlxrh w3, w0, [sp]
	ldar x0, [x1]
	stlr w0, [x1]
	ldarb w0, [x1]
	stlrh w0, [x1]
	clrex
	dmb ish
	dmb ishld
	dsb sy
	isb
	nop
	yield
	mrs x0, tpidr_el0
	msr tpidr_el0, x1
	mrs x3, cntvct_el0
	mrs x4, cntfrq_el0
	svc #0x27
	brk #0x3e8
	mov x0, #0x1234
	mov w0, #-2
	mov x0, #-0x10000
	movk x0, #0xbeef, lsl #48
	movz x0, #0, lsl #16
	mov x0, #0xff00ff00ff00ff00
	mov w1, wzr
	mov x1, x2
	mov sp, x3
	mvn w0, w1
	mvn x0, x1, lsl #3
	neg x0, x1
	negs w0, w1, asr #2
	ngc x0, x1
	ngcs w0, w1
	adc x0, x1, x2
	sbcs w0, w1, w2
	add x0, x1, #0x10
	add x0, sp, #0x1, lsl #12
	adds w0, w1, #0xfff
	sub sp, sp, #0x40
	subs x0, x1, #1
	cmp w0, #0x3
	cmn x0, #0x1
	cmp x0, x1, lsl #4
	cmn w0, w1
	tst x0, #0xff
	tst w0, w1, ror #3
	add x0, x1, w2, sxtw
	add x0, sp, x2
	add x0, x1, w2, uxtb #2
	sub sp, sp, x1, lsl #4
	cmp x0, w1, uxtw
	and x0, x1, #0xfffffffffffffff0
	orr w0, w1, #0x80000000
	eor x0, x1, x2, lsr #1
	bic w0, w1, w2
	orn x0, x1, x2
	eon w0, w1, w2, lsl #1
	bics x0, x1, x2
	ands w0, w1, #0x7
	lsl x0, x1, #3
	lsr w0, w1, #31
	asr x0, x1, #63
	lsl w0, w1, w2
	lsr x0, x1, x2
	asr w0, w1, w2
	ror x0, x1, x2
	ror w0, w1, #7
	extr x0, x1, x2, #12
	ubfx x0, x1, #4, #8
	sbfx w0, w1, #1, #30
	ubfiz x0, x1, #3, #29
	sbfiz x0, x1, #2, #32
	bfi w0, w1, #8, #4
	bfxil x0, x1, #0, #16
	sxtb w0, w1
	sxth x0, w1
	sxtw x0, w1
	uxtb w0, w1
	uxth w0, w1
	csel x0, x1, x2, eq
	csinc w0, w1, w2, lt
	csinv x0, x1, x2, ge
	csneg w0, w1, w2, hi
	cset w0, ne
	csetm x0, cc
	cinc x0, x1, gt
	cinv w0, w1, le
	cneg x0, x1, mi
	ccmp x0, x1, #0x4, ne
	ccmn w0, #0x5, #0x2, eq
	mul x0, x1, x2
	mneg w0, w1, w2
	madd x0, x1, x2, x3
	msub w0, w1, w2, w3
	smull x0, w1, w2
	umull x0, w1, w2
	smaddl x0, w1, w2, x3
	umsubl x0, w1, w2, x3
	smulh x0, x1, x2
	umulh x0, x1, x2
	udiv w0, w1, w2
	sdiv x0, x1, x2
	clz x0, x1
	cls w0, w1
	rbit x0, x1
	rev x0, x1
	rev w0, w1
	rev16 x0, x1
	rev32 x0, x1
	adr x0, f
	adrp x0, f
	ldr x0, lit
	ldr w1, lit
	ldrsw x2, lit
	prfm pldl1strm, lit
	cbz x0, f
	cbnz w1, f
	tbz w0, #3, f
	tbnz x0, #63, f
	b.eq f
	b.cs f
	b.cc f
	b.nv f
	bl f
	blr x3
	br x16
	ret
	ret x1
	b f
lit:
	.quad 0x1122334455667788

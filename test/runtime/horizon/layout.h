/* The test drivers' region map: one stack region (what recomp emit writes into layout.h). */
#ifndef RECOMP_LAYOUT_H
#define RECOMP_LAYOUT_H
#define RT_REGION_COUNT 1
#endif

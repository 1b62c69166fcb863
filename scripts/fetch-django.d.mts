export declare const DJANGO_CACHE: string;
export declare const DJANGO_PACKAGES: Record<"3.2" | "4.2", string[]>;
/** The folder holding `usr/lib/python3/dist-packages` for this Django; fetched on first use. */
export declare function fetchDjango(version: "3.2" | "4.2"): string;

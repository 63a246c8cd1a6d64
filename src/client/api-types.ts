// Generated from docs/openapi.json by `npm run openapi` (openapi-typescript): do not edit.
export interface paths {
    "/api/v1/repositories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List repositories */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: {
                                createdAt: string;
                                defaultBranch: string;
                                name: string;
                                /** @description where its objects live (a local folder or s3://bucket/prefix) */
                                storage: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a repository */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        defaultBranch?: string;
                        name: string;
                        /** @description s3://bucket/prefix (required on S3) */
                        storage?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            defaultBranch: string;
                            name: string;
                            /** @description where its objects live (a local folder or s3://bucket/prefix) */
                            storage: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a repository */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            defaultBranch: string;
                            name: string;
                            /** @description where its objects live (a local folder or s3://bucket/prefix) */
                            storage: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List branches */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Branch"][];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a branch */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @description ref to branch from (default: the default branch) */
                        source?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Branch"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a branch */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Branch"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a branch (and its uncommitted changes) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Reset a branch: to a commit (`to`), or discard its staged changes (optionally under `path`) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        path?: string;
                        to?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            branch: components["schemas"]["Branch"];
                            discarded?: number;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event log (`sluice events`), paged by id */
        get: {
            parameters: {
                query?: {
                    actor?: string;
                    /** @description the last id of the page before (in `order`) */
                    after?: number;
                    amount?: number;
                    /** @description asc: oldest first (the default) */
                    order?: "asc" | "desc";
                    /** @description a duration ago (7d, 24h, 30m) or an ISO time */
                    since?: string;
                    /** @description comma-separated: load, check, merge, build, promote, deploy, rollback, alert, config, request */
                    type?: string;
                    /** @description a duration ago or an ISO time */
                    until?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Event"][];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/impact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What a branch changes against a base: models, downstream, exposures, breaking columns (`sluice impact`) */
        get: {
            parameters: {
                query: {
                    /** @description the ref to compare with (e.g. main) */
                    base: string;
                    /** @description the branch with the changes (default: the default branch) */
                    branch?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Impact"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Outcome metrics from the event log: deployment frequency, lead time, change-failure rate, time to restore (`sluice metrics`) */
        get: {
            parameters: {
                query?: {
                    /** @description the environment deployed to */
                    env?: string;
                    /** @description start of the window: a duration ago or an ISO time */
                    since?: string;
                    /** @description end of the window (default now) */
                    until?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OutcomeMetrics"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{left}/tables/{table}/diff/{right}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How a table differs between two refs: schema, then rows added, removed and changed (`sluice table diff`) */
        get: {
            parameters: {
                query?: {
                    /** @description rows shown per kind of change (default 5) */
                    sample?: number;
                };
                header?: never;
                path: {
                    left: string;
                    repository: string;
                    right: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            diff: components["schemas"]["TableDiff"];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/lineage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The pipeline lineage at a ref: sources → models → exposures, column by column (`sluice lineage`) */
        get: {
            parameters: {
                query?: {
                    /** @description only what this node depends on and what depends on it */
                    node?: string;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Lineage"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/tables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tables at a ref (`sluice table list`) */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            ref: string;
                            results: components["schemas"]["TableSummary"][];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/tables/{table}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A table's columns, key, rows, size and files (`sluice table show`) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            table: components["schemas"]["TableInfo"];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/tables/{table}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The commits that changed a table, newest first (`sluice table history`) */
        get: {
            parameters: {
                query?: {
                    /** @description a commit id: the commits after it */
                    after?: string;
                    amount?: number;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            ref: string;
                            results: components["schemas"]["Commit"][];
                            table: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/refs/{ref}/tables/{table}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A table's first rows */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path: {
                    ref: string;
                    repository: string;
                    table: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            columns: {
                                name: string;
                                type: string;
                            }[];
                            ref: string;
                            rows: {
                                [key: string]: unknown;
                            }[];
                            table: string;
                            /** @description the table has more rows than `limit` */
                            truncated: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/sandboxes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sandboxes with their age, expiry and state (`sluice sandbox list`) */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["SandboxStatus"][];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a sandbox: the branch sandbox/NAME, in O(1), from a ref */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description any ref (default: the default branch) */
                        from?: string;
                        /** @description letters, digits, ".", "_", "-" */
                        name: string;
                        /** @description readable only by its owner and admins */
                        private?: boolean;
                        /** @description removed at the first gc after this long (7d, 24h, 30m) */
                        ttl?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sandbox: components["schemas"]["Sandbox"];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/sandboxes/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a sandbox: its branch (with uncommitted changes) and its record */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deleted: {
                                branch: string;
                                branchDeleted: boolean;
                                sandbox: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/sql": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run read-only SQL over the tables of refs (`sluice sql --read-only`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @default 1000 */
                        limit?: number;
                        /** @description SQL; several statements run in order and the last one is answered */
                        query: string;
                        /** @description refs whose tables are views (default: the default branch); several: one schema each */
                        refs?: string[];
                        /** @default 30000 */
                        timeoutMs?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            columns: components["schemas"]["Column"][];
                            rows: {
                                [key: string]: unknown;
                            }[];
                            /** @description more rows than `limit`: the answer was cut */
                            truncated: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The server: its version and default repository */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            defaultRepository: string;
                            version: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user and its groups */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            groups: string[];
                            name: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Branch: {
            createdAt: string;
            head: string;
            isDefault: boolean;
            name: string;
        };
        BranchInput: {
            createdAt: string;
            head: string;
            isDefault: boolean;
            name: string;
        };
        Change: {
            left?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            path: string;
            right?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            /** @enum {string} */
            type: "added" | "removed" | "changed";
        };
        ChangeInput: {
            left?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            path: string;
            right?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            /** @enum {string} */
            type: "added" | "removed" | "changed";
        };
        Column: {
            name: string;
            type: string;
        };
        ColumnInput: {
            name: string;
            type: string;
        };
        Commit: {
            committer: string;
            createdAt: string;
            generation: number;
            id: string;
            message: string;
            metadata: {
                [key: string]: string;
            };
            parents: string[];
            tree: string;
        };
        CommitInput: {
            committer: string;
            createdAt: string;
            generation: number;
            id: string;
            message: string;
            metadata: {
                [key: string]: string;
            };
            parents: string[];
            tree: string;
        };
        Entry: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
        };
        EntryInput: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
        };
        Error: {
            error: {
                /** @description stable error code, the class name (BranchNotFoundError …) */
                code: string;
                data: unknown;
                message: string;
            };
        };
        ErrorInput: {
            error: {
                /** @description stable error code, the class name (BranchNotFoundError …) */
                code: string;
                data: unknown;
                message: string;
            };
        };
        Event: {
            actor: string;
            id: number;
            outcome: string;
            time: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
        EventInput: {
            actor: string;
            id: number;
            outcome: string;
            time: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
        Impact: {
            base: string;
            branch: string;
            breaking: {
                /** @enum {string} */
                change: "removed" | "retyped";
                column: string;
                consumer: string;
                /** @enum {string} */
                consumerKind: "model" | "exposure";
                table: string;
            }[];
            brokenExposures: string[];
            changed: string[];
            columnChanges: {
                after?: string;
                before?: string;
                /** @enum {string} */
                change: "removed" | "retyped" | "added";
                column: string;
                table: string;
            }[];
            downstream: string[];
            exposures: string[];
        };
        ImpactInput: {
            base: string;
            branch: string;
            breaking: {
                /** @enum {string} */
                change: "removed" | "retyped";
                column: string;
                consumer: string;
                /** @enum {string} */
                consumerKind: "model" | "exposure";
                table: string;
            }[];
            brokenExposures: string[];
            changed: string[];
            columnChanges: {
                after?: string;
                before?: string;
                /** @enum {string} */
                change: "removed" | "retyped" | "added";
                column: string;
                table: string;
            }[];
            downstream: string[];
            exposures: string[];
        };
        Lineage: {
            columns: {
                [key: string]: {
                    columns: {
                        [key: string]: {
                            column: string;
                            relation: string;
                        }[];
                    };
                    unresolved: {
                        column: string;
                        reason: string;
                    }[];
                    used: {
                        column: string;
                        relation: string;
                    }[];
                };
            };
            edges: [
                string,
                string
            ][];
            nodes: {
                id: string;
                /** @enum {string} */
                kind: "seed" | "model" | "test" | "source" | "exposure";
                name: string;
                relation?: string;
            }[];
            ref: string;
        };
        LineageInput: {
            columns: {
                [key: string]: {
                    columns: {
                        [key: string]: {
                            column: string;
                            relation: string;
                        }[];
                    };
                    unresolved: {
                        column: string;
                        reason: string;
                    }[];
                    used: {
                        column: string;
                        relation: string;
                    }[];
                };
            };
            edges: [
                string,
                string
            ][];
            nodes: {
                id: string;
                /** @enum {string} */
                kind: "seed" | "model" | "test" | "source" | "exposure";
                name: string;
                relation?: string;
            }[];
            ref: string;
        };
        OutcomeMetrics: {
            changeFailureRate: {
                deploys: number;
                failed: number;
                failedDeploys: number;
                rate: number | null;
                rolledBack: number;
            };
            daily: {
                day: string;
                deploys: number;
                failedDeploys: number;
                rollbacks: number;
                rolledBack: number;
            }[];
            days: number;
            deploymentFrequency: {
                deploys: number;
                perDay: number;
                perWeek: number;
            };
            environment: string;
            leadTime: {
                count: number;
                medianMs: number | null;
                p90Ms: number | null;
            };
            loads: {
                error: number;
                failure: number;
                skipped: number;
                success: number;
            };
            since: string;
            timeToRestore: {
                count: number;
                incidents: {
                    deployId: string | null;
                    detectedAt: string;
                    restoredAt: string | null;
                    restoredBy: ("rollback" | "deploy") | null;
                }[];
                medianMs: number | null;
                open: number;
                p90Ms: number | null;
            };
            until: string;
        };
        OutcomeMetricsInput: {
            changeFailureRate: {
                deploys: number;
                failed: number;
                failedDeploys: number;
                rate: number | null;
                rolledBack: number;
            };
            daily: {
                day: string;
                deploys: number;
                failedDeploys: number;
                rollbacks: number;
                rolledBack: number;
            }[];
            days: number;
            deploymentFrequency: {
                deploys: number;
                perDay: number;
                perWeek: number;
            };
            environment: string;
            leadTime: {
                count: number;
                medianMs: number | null;
                p90Ms: number | null;
            };
            loads: {
                error: number;
                failure: number;
                skipped: number;
                success: number;
            };
            since: string;
            timeToRestore: {
                count: number;
                incidents: {
                    deployId: string | null;
                    detectedAt: string;
                    restoredAt: string | null;
                    restoredBy: ("rollback" | "deploy") | null;
                }[];
                medianMs: number | null;
                open: number;
                p90Ms: number | null;
            };
            until: string;
        };
        Sandbox: {
            branch: string;
            createdAt: string;
            expiresAt: string | null;
            from: string;
            fromCommit: string;
            name: string;
            owner: string;
        };
        SandboxInput: {
            branch: string;
            createdAt: string;
            expiresAt: string | null;
            from: string;
            fromCommit: string;
            name: string;
            owner: string;
        };
        SandboxStatus: {
            ageMs: number;
            branch: string;
            createdAt: string;
            expired: boolean;
            expiresAt: string | null;
            expiresInMs: number | null;
            from: string;
            fromCommit: string;
            head: string | null;
            name: string;
            owner: string;
            /** @enum {string} */
            state: "active" | "expired" | "missing";
            uncommitted: boolean;
        };
        SandboxStatusInput: {
            ageMs: number;
            branch: string;
            createdAt: string;
            expired: boolean;
            expiresAt: string | null;
            expiresInMs: number | null;
            from: string;
            fromCommit: string;
            head: string | null;
            name: string;
            owner: string;
            /** @enum {string} */
            state: "active" | "expired" | "missing";
            uncommitted: boolean;
        };
        TableDiff: {
            added: number;
            changed: number;
            filesCompared: {
                left: number;
                right: number;
            };
            filesSkipped: number;
            left: {
                commit?: string;
                ref: string;
            };
            primaryKey?: string[];
            primaryKeyChange?: {
                after?: string[];
                before?: string[];
            };
            removed: number;
            right: {
                commit?: string;
                ref: string;
            };
            samples: {
                added: {
                    [key: string]: unknown;
                }[];
                changed: {
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    key: {
                        [key: string]: unknown;
                    };
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    left: {
                        [key: string]: unknown;
                    };
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    right: {
                        [key: string]: unknown;
                    };
                }[];
                removed: {
                    [key: string]: unknown;
                }[];
            };
            schemaChanges: {
                after?: string;
                before?: string;
                /** @enum {string} */
                change: "added" | "removed" | "retyped";
                column: string;
            }[];
            table: string;
        };
        TableDiffInput: {
            added: number;
            changed: number;
            filesCompared: {
                left: number;
                right: number;
            };
            filesSkipped: number;
            left: {
                commit?: string;
                ref: string;
            };
            primaryKey?: string[];
            primaryKeyChange?: {
                after?: string[];
                before?: string[];
            };
            removed: number;
            right: {
                commit?: string;
                ref: string;
            };
            samples: {
                added: {
                    [key: string]: unknown;
                }[];
                changed: {
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    key: {
                        [key: string]: unknown;
                    };
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    left: {
                        [key: string]: unknown;
                    };
                    /** @description a row: JSON values (big integers and decimals as strings) */
                    right: {
                        [key: string]: unknown;
                    };
                }[];
                removed: {
                    [key: string]: unknown;
                }[];
            };
            schemaChanges: {
                after?: string;
                before?: string;
                /** @enum {string} */
                change: "added" | "removed" | "retyped";
                column: string;
            }[];
            table: string;
        };
        TableInfo: {
            bytes: number;
            columns: components["schemas"]["Column"][];
            files: {
                address: string;
                path: string;
                rows: number;
                size: number;
            }[];
            name: string;
            partitionBy?: string[];
            primaryKey?: string[];
            ref: string;
            rows: number;
        };
        TableInfoInput: {
            bytes: number;
            columns: components["schemas"]["ColumnInput"][];
            files: {
                address: string;
                path: string;
                rows: number;
                size: number;
            }[];
            name: string;
            partitionBy?: string[];
            primaryKey?: string[];
            ref: string;
            rows: number;
        };
        TableSummary: {
            bytes: number;
            columns: components["schemas"]["Column"][];
            files: number;
            name: string;
            partitionBy?: string[];
            primaryKey?: string[];
            rows: number;
        };
        TableSummaryInput: {
            bytes: number;
            columns: components["schemas"]["ColumnInput"][];
            files: number;
            name: string;
            partitionBy?: string[];
            primaryKey?: string[];
            rows: number;
        };
        Tag: {
            commit: string;
            createdAt: string;
            name: string;
        };
        TagInput: {
            commit: string;
            createdAt: string;
            name: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

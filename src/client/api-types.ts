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
    "/api/v1/repositories/{repository}/aliases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List aliases and the branches they name */
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
                            results: components["schemas"]["Alias"][];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Point an alias at a branch (create it, or flip it in one compare-and-swap) */
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
                        branch: string;
                        name: string;
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
                            name: string;
                            previous: string | null;
                            target: string;
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
    "/api/v1/repositories/{repository}/aliases/{alias}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an alias (never the branch it names) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    alias: string;
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
    "/api/v1/repositories/{repository}/branches/{branch}/cherry-pick": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Commit a commit’s changes again on a branch */
        post: {
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
                        /** @description for a merge commit: the parent (1-based) its changes are taken against */
                        parent?: number;
                        /** @description the commit to replay */
                        ref: string;
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
                        "application/json": components["schemas"]["Commit"];
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
    "/api/v1/repositories/{repository}/branches/{branch}/commits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Commit a branch’s staged changes
         * @description All of them, or with `paths` only those at or under the paths (the rest stays staged). With `idempotencyKey` (and `paths`), a retried request commits nothing new and answers the first commit.
         */
        post: {
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
                        allowEmpty?: boolean;
                        idempotencyKey?: string;
                        message: string;
                        metadata?: {
                            [key: string]: string;
                        };
                        paths?: string[];
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
                        "application/json": components["schemas"]["Commit"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Commit"];
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
    "/api/v1/repositories/{repository}/branches/{branch}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A branch’s uncommitted changes (`sluice status`) */
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
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Change"][];
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
    "/api/v1/repositories/{repository}/branches/{branch}/objects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload an object to a branch (staged)
         * @description The body is the object’s bytes. `Content-Type` is kept as its content type (guessed from the path when absent or `application/octet-stream`); `x-sluice-meta-<key>` headers are its user metadata.
         */
        put: {
            parameters: {
                query: {
                    /** @description the object’s path */
                    path: string;
                };
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "*/*": string;
                    "application/octet-stream": string;
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
                        "application/json": components["schemas"]["Entry"];
                    };
                };
            };
        };
        post?: never;
        /** Delete objects on a branch (staged; all or nothing) */
        delete: {
            parameters: {
                query: {
                    /** @description one path, or several (`?path=a&path=b`) */
                    path: string | string[];
                    /** @description also everything under `path/` */
                    recursive?: "true" | "false";
                };
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
                        "application/json": {
                            branch: string;
                            removed: string[];
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
    "/api/v1/repositories/{repository}/branches/{branch}/revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Commit the inverse of a commit’s changes on a branch */
        post: {
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
                        /** @description for a merge commit: the parent (1-based) its changes are taken against */
                        parent?: number;
                        /** @description the commit to replay */
                        ref: string;
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
                        "application/json": components["schemas"]["Commit"];
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
    "/api/v1/repositories/{repository}/builds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Build the server's project on a branch (a run; its result is `sluice build --json`) */
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
                        /**
                         * @description write target/run_results.json and manifest.json in the server's project
                         * @default false
                         */
                        artifacts?: boolean;
                        /** @description default: the default branch */
                        branch?: string;
                        /**
                         * @description build: seeds, models and tests; run: models; test: tests; seed: seeds
                         * @default build
                         * @enum {string}
                         */
                        command?: "build" | "run" | "test" | "seed";
                        exclude?: string[];
                        fullRefresh?: boolean;
                        select?: string[];
                        /** @description a ref whose build is reused */
                        state?: string;
                        threads?: number;
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
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
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
    "/api/v1/repositories/{repository}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the project's checks at a ref (a run; its result is `sluice check --json`) */
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
                        /** @description default: the default branch */
                        ref?: string;
                        /** @description failing rows to keep per check */
                        sample?: number;
                        /**
                         * @description store the results and profiles in the history
                         * @default true
                         */
                        store?: boolean;
                        /** @description only the checks of this table */
                        table?: string;
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
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
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
    "/api/v1/repositories/{repository}/checks/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A table's stored check results, newest run first (`sluice check history --json`) */
        get: {
            parameters: {
                query: {
                    /** @description runs */
                    amount?: number;
                    table: string;
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
                            runs: {
                                at: string;
                                commit: string;
                                id: string;
                                results: {
                                    [key: string]: unknown;
                                }[];
                            }[];
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
    "/api/v1/repositories/{repository}/checks/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The newest stored check run at the commit a ref names, with its results */
        get: {
            parameters: {
                query?: {
                    ref?: string;
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
                            commit: string;
                            ref: string;
                            run: {
                                at: string;
                                id: string;
                                results: {
                                    [key: string]: unknown;
                                }[];
                                status: string;
                            } | null;
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
    "/api/v1/repositories/{repository}/commits/{commit}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A commit and its changes against its first parent (`sluice show`) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a commit id, or any ref */
                    commit: string;
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
                            changes: components["schemas"]["Change"][];
                            commit: components["schemas"]["Commit"];
                            counts: components["schemas"]["ChangeCounts"];
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
    "/api/v1/repositories/{repository}/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The environments: staging and production, their commits and last runs */
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
                /** @description the document the CLI prints with --json */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
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
    "/api/v1/repositories/{repository}/environments/{env}/deploy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deploy to an environment, blue/green (a run; its result is `sluice deploy --json`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    env: string;
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
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
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
    "/api/v1/repositories/{repository}/environments/{env}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Promote to an environment (a run; its result is `sluice promote --json`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    env: string;
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
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
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
    "/api/v1/repositories/{repository}/environments/{env}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll an environment back to an earlier deploy (a run; `sluice rollback --json`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    env: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description when the problem was detected (a time, or an age like 15m) */
                        detectedAt?: string;
                        /** @description the deploy id to restore */
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
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
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
    "/api/v1/repositories/{repository}/loads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run an ingestor of the project (a run; its result is `sluice load --json`) */
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
                        idempotencyKey?: string;
                        ingestor: string;
                        /** @description default: the ingestor's `into` */
                        into?: string;
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
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
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
    "/api/v1/repositories/{repository}/refs/{left}/diff/{right}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Changes from one ref to another (their commits: staging is not included) */
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
                    left: string;
                    repository: string;
                    right: string;
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
                            results: components["schemas"]["Change"][];
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
    "/api/v1/repositories/{repository}/refs/{ref}/commits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The log: commits reachable from a ref, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    /** @description only commits that changed this path (or under it, with a trailing /) */
                    path?: string;
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
                            results: components["schemas"]["Commit"][];
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
    "/api/v1/repositories/{repository}/refs/{ref}/objects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download an object (Range requests answer 206)
         * @description The object’s bytes, with its content type and `ETag` (its checksum). HEAD answers the headers only.
         */
        get: {
            parameters: {
                query: {
                    /** @description the object’s path */
                    path: string;
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
                /** @description the object’s bytes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
                /** @description the requested byte range */
                206: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
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
    "/api/v1/repositories/{repository}/refs/{ref}/objects/ls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List objects at a ref
         * @description In key order. With `delimiter` (`/`), keys below it collapse into prefixes (`dir/`), as `sluice ls` shows them.
         */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    delimiter?: string;
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
                            results: components["schemas"]["ListItem"][];
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
    "/api/v1/repositories/{repository}/refs/{ref}/objects/stat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An object’s entry: size, checksum, content type, metadata */
        get: {
            parameters: {
                query: {
                    /** @description the object’s path */
                    path: string;
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
                        "application/json": components["schemas"]["Entry"];
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
    "/api/v1/repositories/{repository}/refs/{source}/merge/{destination}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge a ref into a branch (through its gate)
         * @description Three-way; fast-forwards when it can. On a protected branch the gate runs the checks of the changed tables first; `force` merges past failing checks where the rules allow it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    destination: string;
                    repository: string;
                    source: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        force?: boolean;
                        message?: string;
                        metadata?: {
                            [key: string]: string;
                        };
                        noFastForward?: boolean;
                        /** @enum {string} */
                        strategy?: "fail" | "source-wins" | "dest-wins";
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
                        "application/json": components["schemas"]["MergeOutcome"];
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
    "/api/v1/repositories/{repository}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the long operations started on a repository, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description return runs older than this run id */
                    after?: string;
                    amount?: number;
                    kind?: string;
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
                            results: components["schemas"]["Run"][];
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
    "/api/v1/repositories/{repository}/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run: its status, and its result or error once finished */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                    runId: string;
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
                        "application/json": components["schemas"]["Run"];
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
    "/api/v1/repositories/{repository}/runs/{runId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A run's log as Server-Sent Events: `log` events as lines come, then `status`
         * @description Each `log` event carries a line `{seq, time, line}` with `id: seq`; the last event is `status` with the finished run. Resume with `Last-Event-ID` or `?after=`.
         */
        get: {
            parameters: {
                query?: {
                    after?: number;
                };
                header?: never;
                path: {
                    repository: string;
                    runId: string;
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
                /** @description text/event-stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
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
    "/api/v1/repositories/{repository}/runs/{runId}/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run's log lines after a line number (readable while it runs) */
        get: {
            parameters: {
                query?: {
                    /** @description the last line already read */
                    after?: number;
                    amount?: number;
                };
                header?: never;
                path: {
                    repository: string;
                    runId: string;
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
                            results: components["schemas"]["RunLogLine"][];
                            /**
                             * @description the run's status before these lines were read
                             * @enum {string}
                             */
                            status: "queued" | "running" | "succeeded" | "failed" | "lost";
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
    "/api/v1/repositories/{repository}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tags */
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
                            results: components["schemas"]["Tag"][];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a tag at a ref’s commit */
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
                        ref: string;
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
                        "application/json": components["schemas"]["Tag"];
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
    "/api/v1/repositories/{repository}/tags/{tag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a tag */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                    tag: string;
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
                        "application/json": components["schemas"]["Tag"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a tag */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                    tag: string;
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
        Alias: {
            name: string;
            target: string;
            updatedAt: string;
        };
        AliasInput: {
            name: string;
            target: string;
            updatedAt: string;
        };
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
        ChangeCounts: {
            added: number;
            changed: number;
            removed: number;
            total: number;
        };
        ChangeCountsInput: {
            added: number;
            changed: number;
            removed: number;
            total: number;
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
        ListItem: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
            /** @constant */
            type: "object";
        } | {
            path: string;
            /** @constant */
            type: "prefix";
        };
        ListItemInput: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
            /** @constant */
            type: "object";
        } | {
            path: string;
            /** @constant */
            type: "prefix";
        };
        Merge: {
            applied: number;
            base: string;
            commit: components["schemas"]["Commit"] | null;
            destination: string;
            fastForward: boolean;
            gate?: {
                changedTables: string[];
                checks: {
                    error: number;
                    fail: number;
                    pass: number;
                    warn: number;
                } | null;
                forced: boolean;
                webhooks: {
                    ok: boolean;
                    reason?: string;
                    status?: number;
                    url: string;
                }[];
            };
            resolved: {
                destination: string;
                path: string;
                source: string;
            }[];
            source: string;
            upToDate: boolean;
        };
        MergeInput: {
            applied: number;
            base: string;
            commit: components["schemas"]["CommitInput"] | null;
            destination: string;
            fastForward: boolean;
            gate?: {
                changedTables: string[];
                checks: {
                    error: number;
                    fail: number;
                    pass: number;
                    warn: number;
                } | null;
                forced: boolean;
                webhooks: {
                    ok: boolean;
                    reason?: string;
                    status?: number;
                    url: string;
                }[];
            };
            resolved: {
                destination: string;
                path: string;
                source: string;
            }[];
            source: string;
            upToDate: boolean;
        };
        MergeOutcome: {
            /** @description the merge event's id in the event log */
            event: number | null;
            merge: components["schemas"]["Merge"];
        };
        MergeOutcomeInput: {
            /** @description the merge event's id in the event log */
            event: number | null;
            merge: components["schemas"]["MergeInput"];
        };
        Run: {
            actor: string;
            createdAt: string;
            /** @description when the run threw: the error document */
            error?: {
                code: string;
                data: unknown;
                message: string;
            };
            /** @description the exit code the CLI gives this outcome */
            exitCode?: number;
            /** @description check, build, load, promote, deploy, rollback */
            kind: string;
            links: {
                events: string;
                log: string;
                self: string;
            };
            /** @description the request as accepted */
            request: unknown;
            /** @description the document the CLI prints with --json */
            result?: unknown;
            runId: string;
            /**
             * @description lost: the process running it stopped answering
             * @enum {string}
             */
            status: "queued" | "running" | "succeeded" | "failed" | "lost";
            /** @description the last heartbeat or change */
            updatedAt: string;
        };
        RunInput: {
            actor: string;
            createdAt: string;
            /** @description when the run threw: the error document */
            error?: {
                code: string;
                data: unknown;
                message: string;
            };
            /** @description the exit code the CLI gives this outcome */
            exitCode?: number;
            /** @description check, build, load, promote, deploy, rollback */
            kind: string;
            links: {
                events: string;
                log: string;
                self: string;
            };
            /** @description the request as accepted */
            request: unknown;
            /** @description the document the CLI prints with --json */
            result?: unknown;
            runId: string;
            /**
             * @description lost: the process running it stopped answering
             * @enum {string}
             */
            status: "queued" | "running" | "succeeded" | "failed" | "lost";
            /** @description the last heartbeat or change */
            updatedAt: string;
        };
        RunLogLine: {
            line: string;
            seq: number;
            time: string;
        };
        RunLogLineInput: {
            line: string;
            seq: number;
            time: string;
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

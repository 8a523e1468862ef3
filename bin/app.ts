#!/usr/bin/env node
import { createSocleApp } from '../lib/socle-stack';

// Context comes from cdk.json and `-c key=value`; see lib/config.ts for the keys.
createSocleApp();
